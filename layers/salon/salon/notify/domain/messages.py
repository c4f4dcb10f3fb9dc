"""What is sent to whom: message kinds, recipients, and the key that makes a send happen once. Pure."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

Channel = Literal["email", "sms"]
Locale = Literal["fr", "en"]

EmailKind = Literal[
    "registration_received",
    "registration_validated",
    "registration_refused",
    "request_received",
    "request_approved",
    "request_refused",
    "agenda_published",
    "agenda_changed",
    "reminder_requests_deadline",
    "reminder_answers_deadline",
    "reminder_agenda_tomorrow",
    "requalification_requested",
    "consent_requested",
]
SmsKind = Literal["meeting_added", "meeting_moved", "meeting_cancelled", "reminder_meeting_soon"]
EMAIL_KINDS: tuple[EmailKind, ...] = (
    "registration_received",
    "registration_validated",
    "registration_refused",
    "request_received",
    "request_approved",
    "request_refused",
    "agenda_published",
    "agenda_changed",
    "reminder_requests_deadline",
    "reminder_answers_deadline",
    "reminder_agenda_tomorrow",
    "requalification_requested",
    "consent_requested",
)
SMS_KINDS: tuple[SmsKind, ...] = (
    "meeting_added",
    "meeting_moved",
    "meeting_cancelled",
    "reminder_meeting_soon",
)


@dataclass(frozen=True)
class Recipient:
    """A participant as notifications see them; the address is used to send, never logged."""

    participant_id: str
    email: str
    first_name: str
    locale: Locale
    company: str = ""
    mobile: str | None = None  # verified E.164 number, if any
    last_name: str = ""
    registration_id: str = ""  # their company's registration (a mailing's queued message carries it)


@dataclass(frozen=True)
class Branding:
    """The event's name and look in its messages (per locale name)."""

    event_name: dict[str, str]
    sender_name: str | None = None
    reply_to: str | None = None
    logo_url: str | None = None

    def name_in(self, locale: str) -> str:
        return self.event_name.get(locale) or next(iter(self.event_name.values()), "")


@dataclass(frozen=True)
class Message:
    """One message to one recipient, about one domain event (``part`` tells two SMS of one event apart)."""

    channel: Channel
    kind: str
    recipient: Recipient
    dedupe_id: str
    context: dict[str, Any] = field(default_factory=dict)
    part: str = ""

    @property
    def key(self) -> str:
        return message_key(self.dedupe_id, self.recipient.participant_id, self.kind, self.part)


def message_key(dedupe_id: str, recipient_id: str, kind: str, part: str = "") -> str:
    """The idempotency key of a message: a redelivered event yields the same key, so nothing twice."""
    raw = "\x1f".join((dedupe_id, recipient_id, kind, part)).encode()
    return hashlib.sha256(raw).hexdigest()[:40]
