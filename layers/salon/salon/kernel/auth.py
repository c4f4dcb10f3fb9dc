"""Principal extraction from the HTTP API JWT authorizer claims."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from salon.kernel.principal import Principal


def parse_groups(raw: Any) -> frozenset[str]:
    """``cognito:groups`` as HTTP APIs render it ("[organizer staff]"), a JSON list, or a list."""
    if raw is None:
        return frozenset()
    if isinstance(raw, list | tuple):
        return frozenset(str(g) for g in raw if g)
    text = str(raw).strip()
    if text.startswith("[") and '"' in text:
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        if isinstance(parsed, list):
            return frozenset(str(g) for g in parsed if g)
    text = text.strip("[]")
    return frozenset(part for part in text.replace(",", " ").split() if part)


def principal_from_claims(claims: Mapping[str, Any] | None) -> Principal | None:
    """``None`` when there are no usable claims (the handler then answers 401)."""
    if not claims:
        return None
    sub = claims.get("sub")
    if not sub:
        return None
    return Principal(
        sub=str(sub),
        tenant_id=str(claims.get("custom:tenant_id") or ""),
        roles=parse_groups(claims.get("cognito:groups")),
        email=str(claims["email"]) if claims.get("email") else None,
    )


def principal_from_event(event: Mapping[str, Any]) -> Principal | None:
    context = event.get("requestContext") or {}
    authorizer = context.get("authorizer") or {}
    jwt = authorizer.get("jwt") or {}
    claims = jwt.get("claims")
    return principal_from_claims(claims if isinstance(claims, Mapping) else None)
