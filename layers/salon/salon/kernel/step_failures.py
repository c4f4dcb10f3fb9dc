"""What a state machine's catch hands its fail step: the failed Lambda's error payload."""

from __future__ import annotations

import json


def message(cause: str) -> str:
    """A Lambda error's Cause is its JSON error payload; keep its message."""
    try:
        return str(json.loads(cause).get("errorMessage", cause))
    except (ValueError, AttributeError):
        return cause
