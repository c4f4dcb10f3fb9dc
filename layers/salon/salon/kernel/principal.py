"""Who is calling: identity, tenant and roles, and the role rules of each action."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from salon.kernel.errors import Forbidden, Unauthenticated

Role = Literal["participant", "organizer", "staff", "dpo"]
ROLES: tuple[Role, ...] = ("participant", "organizer", "staff", "dpo")


@dataclass(frozen=True)
class Principal:
    sub: str
    tenant_id: str
    roles: frozenset[str]
    email: str | None = None

    def has_any(self, allowed: frozenset[str]) -> bool:
        return bool(self.roles & allowed)

    def acting_role(self, allowed: frozenset[str]) -> str:
        """The role under which the call is made (the first allowed one, in a stable order)."""
        for role in ROLES:
            if role in self.roles and role in allowed:
                return role
        return "none"


# Route permissions (see docs/API.md, route x role table).
CONFIGURE = frozenset({"organizer"})
READ_CONFIG = frozenset({"organizer", "staff"})
REVIEW = frozenset({"organizer", "staff"})
ADMINISTER_ACCOUNTS = frozenset({"organizer"})
SELF = frozenset({"participant"})
SELF_OR_ON_BEHALF = SELF | REVIEW  # a participant, or organisers and staff acting for one
AUDIT = frozenset({"dpo"})
DATA_SUBJECT_REQUESTS = frozenset({"dpo"})
READ_CATALOGUE = frozenset({"participant", "organizer", "staff"})
REBUILD_CATALOGUE = frozenset({"organizer"})


def require_role(principal: Principal | None, allowed: frozenset[str]) -> Principal:
    """The caller, if authenticated, bound to a tenant and holding one of the allowed roles."""
    if principal is None:
        raise Unauthenticated("a bearer token is required")
    if not principal.tenant_id:
        raise Forbidden("the token carries no tenant")
    if not principal.has_any(allowed):
        raise Forbidden("your role does not allow this operation")
    return principal
