"""Role checks shared by the services."""

from __future__ import annotations

from salon.domain.principal import Principal, require_role
from salon.services.context import Caller


def require(caller: Caller, allowed: frozenset[str]) -> Principal:
    return require_role(caller.principal, allowed)
