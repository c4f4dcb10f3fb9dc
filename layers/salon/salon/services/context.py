"""Who calls and under which request id (for the audit trail)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from salon.domain.principal import Principal


@dataclass(frozen=True)
class Caller:
    principal: Principal | None
    request_id: str

    @property
    def actor(self) -> str:
        return self.principal.sub if self.principal else "anonymous"

    def to_payload(self) -> dict[str, Any]:
        """Serialisable form carried into idempotent logic functions (no e-mail)."""
        principal = None
        if self.principal is not None:
            principal = {
                "sub": self.principal.sub,
                "tenant_id": self.principal.tenant_id,
                "roles": sorted(self.principal.roles),
            }
        return {"principal": principal, "request_id": self.request_id}

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Caller:
        data = payload["caller"]
        raw = data.get("principal")
        principal = None
        if raw is not None:
            principal = Principal(sub=raw["sub"], tenant_id=raw["tenant_id"], roles=frozenset(raw["roles"]))
        return cls(principal, data["request_id"])
