"""Role checks shared by the services."""

from __future__ import annotations

from salon.domain.principal import Principal
from salon.errors import Forbidden, Unauthenticated
from salon.services.context import Caller


def require(caller: Caller, allowed: frozenset[str]) -> Principal:
    principal = caller.principal
    if principal is None:
        raise Unauthenticated("a bearer token is required")
    if not principal.tenant_id:
        raise Forbidden("the token carries no tenant")
    if not principal.has_any(allowed):
        raise Forbidden("your role does not allow this operation")
    return principal
