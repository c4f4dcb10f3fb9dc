"""The route x role table (docs/API.md), enforced before body validation so 401/403 win over 422."""

from __future__ import annotations

import re
from collections.abc import Mapping

from salon.kernel.errors import NotFound
from salon.kernel.principal import (
    ADMINISTER_ACCOUNTS,
    AUDIT,
    CONFIGURE,
    READ_CONFIG,
    REVIEW,
    SELF,
    Principal,
    require_role,
)

PUBLIC: frozenset[str] = frozenset()

POLICY: Mapping[str, frozenset[str]] = {
    "GET /health": PUBLIC,
    "GET /openapi.json": PUBLIC,
    "GET /docs": PUBLIC,
    "POST /events": CONFIGURE,
    "GET /events": READ_CONFIG,
    "GET /events/{event_id}": READ_CONFIG,
    "PATCH /events/{event_id}": CONFIGURE,
    "PUT /events/{event_id}/form": CONFIGURE,
    "GET /events/{event_id}/form": PUBLIC,
    "POST /events/{event_id}/types": CONFIGURE,
    "GET /events/{event_id}/types": READ_CONFIG,
    "PUT /events/{event_id}/taxonomy": CONFIGURE,
    "GET /events/{event_id}/taxonomy": PUBLIC,
    "POST /events/{event_id}/registrations": PUBLIC,
    "GET /events/{event_id}/registrations": REVIEW,
    "GET /registrations/{registration_id}": REVIEW,
    "POST /registrations/{registration_id}/decision": REVIEW,
    "POST /registrations/{registration_id}/participants/{participant_id}/deactivate": ADMINISTER_ACCOUNTS,
    "GET /me": SELF,
    "PATCH /me": SELF,
    "PUT /me/profile": SELF,
    "GET /audit": AUDIT,
}


def authorize(route_key: str, principal: Principal | None) -> None:
    """Raise ``Unauthenticated``/``Forbidden`` when the caller may not use the route."""
    allowed = POLICY.get(route_key)
    if allowed is None or allowed is PUBLIC:
        return
    require_role(principal, allowed)


_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def check_path_ids(parameters: Mapping[str, str] | None) -> None:
    """Ids are short slugs; anything else cannot exist (404), and never reaches DynamoDB keys."""
    for value in (parameters or {}).values():
        if not _ID.match(value):
            raise NotFound("no such resource")
