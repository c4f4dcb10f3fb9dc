"""Who is asked to confirm their data, and who is overdue (pure: no AWS).

Twice a year (1 January and 1 July, Paris time) every contact whose data was last verified 6 months
ago or more is asked to confirm it; one who has not confirmed within the delay is flagged for the
organiser. "Last verified" is when the person registered, edited ``/me`` or confirmed; a record
written before the date was kept counts from its creation.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from salon.kernel import link_tokens
from salon.kernel.values import parse_iso

STALE_AFTER_MONTHS = 6
PARIS = ZoneInfo("Europe/Paris")
PENDING, OVERDUE, CONFIRMED = "pending", "overdue", "confirmed"
OPEN = frozenset({PENDING, OVERDUE})
REQUESTED = "contact.requalification_requested"


def months_before(moment: datetime, months: int) -> datetime:
    """The same wall-clock instant ``months`` calendar months earlier (day clamped to the month's end)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = moment.day
    while True:
        try:
            return moment.replace(year=year, month=month + 1, day=day)
        except ValueError:
            day -= 1


def stale_before(now: datetime) -> datetime:
    """Data verified before this instant is due for re-qualification at ``now``."""
    return months_before(now, STALE_AFTER_MONTHS)


def verified_since(participant: Mapping[str, Any]) -> datetime:
    """When the contact's data was last verified; a record without the date counts from its creation."""
    return parse_iso(str(participant.get("last_verified_at") or participant["created_at"]))


def is_due(participant: Mapping[str, Any], now: datetime) -> bool:
    """A contact to ask at ``now``: still active, data not verified for 6 months."""
    if participant.get("account_status") == "deactivated" or not participant.get("email"):
        return False
    return verified_since(participant) <= stale_before(now)


def round_of(now: datetime) -> str:
    """The half-year a pass belongs to (``2027-H1``), in Paris time: a pass run twice in the same
    half-year asks nobody twice."""
    local = now.astimezone(PARIS)
    return f"{local.year}-H{1 if local.month <= 6 else 2}"


def due_at(requested_at: datetime, delay_days: int) -> datetime:
    return requested_at + timedelta(days=delay_days)


def may_request(existing: Mapping[str, Any] | None, round_: str) -> bool:
    """A new request replaces nothing of this round and no overdue flag (it stands until the person
    confirms); a confirmed or earlier pending one is replaced."""
    if existing is None:
        return True
    return existing.get("status") == CONFIRMED or (
        existing.get("status") == PENDING and existing.get("round") != round_
    )


def is_overdue(request: Mapping[str, Any], now: datetime) -> bool:
    return request.get("status") == PENDING and parse_iso(str(request["due_at"])) <= now


def link_token(key: bytes, tenant_id: str, registration_id: str, participant_id: str, round_: str) -> str:
    """The confirmation link's token: a keyed hash of the request, so the notifier can write it again
    from the ids the event carries and nothing secret is stored."""
    return link_tokens.link_token(key, tenant_id, registration_id, participant_id, round_)


token_hash = link_tokens.token_hash


def link_is_valid(request: Mapping[str, Any], now: datetime) -> bool:
    """A link works until the request's due date; past it the person signs in to confirm."""
    return now <= parse_iso(str(request["due_at"]))
