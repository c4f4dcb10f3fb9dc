"""An erased person's fresh consent (pure: no AWS).

A public registration naming the e-mail of a person erased at their request (a tombstone) answers as
any other, but nothing of it is stored as a registration yet: the whole sheet is held, out of the
organiser's list, and each erased participant is e-mailed a link. When the last of them confirms, in
one transaction, their tombstones are lifted (with an audit record), their consent is recorded on
their participant and the registration is stored as submitted. Unconfirmed, the held sheet expires
after ``WAIT_DAYS`` and the tombstones stay.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, Final

from salon.kernel import link_tokens
from salon.kernel.values import parse_iso

WAIT_DAYS = 7  # the registry's CONSENT_WAIT: the held sheet and its requests expire with it
PENDING, CONFIRMED = "pending", "confirmed"
REQUESTED = "registration.consent_requested"
# The other participants of a held sheet are told it was received, as after any submission: nothing
# they receive tells that one of their colleagues was erased (they may be the anonymous caller).
HELD = "registration.held"
TOKEN_PURPOSE = "fresh-consent"
SUBMITTED: Final = "submitted"
AWAITING: Final = "awaiting_consent"


def due_at(now: datetime) -> datetime:
    """Until when the e-mail's link works."""
    return now + timedelta(days=WAIT_DAYS)


def link_token(key: bytes, tenant_id: str, registration_id: str, participant_id: str) -> str:
    """The link's token: a keyed hash of the request (the notifier writes it again from the event's ids)."""
    return link_tokens.link_token(key, TOKEN_PURPOSE, tenant_id, registration_id, participant_id)


token_hash = link_tokens.token_hash


def link_is_valid(request: Mapping[str, Any], now: datetime) -> bool:
    """A link works until its due date, whatever the table's expiry has not removed yet."""
    return now <= parse_iso(str(request["due_at"]))


def still_awaiting(held: Mapping[str, Any], participant_id: str) -> list[str]:
    """The erased participants whose consent the sheet still waits for once ``participant_id`` gave theirs."""
    return [str(p) for p in held["awaiting"] if p != participant_id]


def consented(participants: Sequence[Mapping[str, Any]], consents: Mapping[str, str]) -> list[dict[str, Any]]:
    """The participants as stored once released: each erased one carries when they consented afresh."""
    return [
        {**p, "consented_at": consents[p["participant_id"]]} if p["participant_id"] in consents else dict(p)
        for p in participants
    ]
