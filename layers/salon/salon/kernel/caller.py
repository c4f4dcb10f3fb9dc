"""Who calls, under which request id and Idempotency-Key, and the role check every service makes."""

from __future__ import annotations

from dataclasses import dataclass

from salon.kernel.principal import Principal, require_role


@dataclass(frozen=True)
class Caller:
    principal: Principal | None
    request_id: str
    idempotency_key: str | None = None
    accept_language: str | None = None  # the request's header, for responses labelled in a locale
    origin: str | None = None  # https://<the API's domain>, for links the response hands out

    @property
    def actor(self) -> str:
        return self.principal.sub if self.principal else "anonymous"


def require(caller: Caller, allowed: frozenset[str]) -> Principal:
    return require_role(caller.principal, allowed)
