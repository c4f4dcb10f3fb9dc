"""Which messages a domain event yields, and what each one says. Pure: the service loads the facts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from salon.notify.domain.messages import Message, Recipient

REGISTRATION_KINDS = {
    "registration.submitted": "registration_received",
    "registration.validated": "registration_validated",
    "registration.refused": "registration_refused",
}
# meeting_request.<state> -> (kind, who is told: the receiving or the requesting company)
REQUEST_KINDS = {
    "meeting_request.sent": ("request_received", "to"),
    "meeting_request.approved": ("request_approved", "from"),
    "meeting_request.refused": ("request_refused", "from"),
}
AGENDA_CHANGED = "agenda.changed"
REQUALIFICATION_REQUESTED = "contact.requalification_requested"
CONSENT_REQUESTED = "registration.consent_requested"
# A sheet held for an erased person's consent: its other participants are told it was received, under
# the key of the submission it becomes (so they are not told twice once it is stored).
REGISTRATION_HELD = "registration.held"
HANDLED = frozenset(
    {
        *REGISTRATION_KINDS,
        *REQUEST_KINDS,
        AGENDA_CHANGED,
        REQUALIFICATION_REQUESTED,
        CONSENT_REQUESTED,
        REGISTRATION_HELD,
    }
)
SMS_REASON = {
    "en": "Your agenda was updated by the organiser.",
    "fr": "Agenda mis à jour par l'organisateur.",
}


@dataclass(frozen=True)
class Links:
    sign_in: str
    agenda: str


def _base(recipient: Recipient, event_name: str) -> dict[str, Any]:
    return {"first_name": recipient.first_name, "company": recipient.company, "event_name": event_name}


def registration_messages(
    detail_type: str,
    dedupe_id: str,
    recipients: Sequence[Recipient],
    event_names: Mapping[str, str],
    reason: str,
    links: Links,
) -> list[Message]:
    kind = REGISTRATION_KINDS[detail_type]
    out = []
    for r in recipients:
        context = {**_base(r, event_names[r.locale]), "sign_in_link": links.sign_in, "reason": reason}
        out.append(Message("email", kind, r, dedupe_id, context))
    return out


def request_messages(
    detail_type: str,
    dedupe_id: str,
    recipients: Sequence[Recipient],
    other_company: str,
    event_names: Mapping[str, str],
    reason: str,
    links: Links,
) -> list[Message]:
    kind, _ = REQUEST_KINDS[detail_type]
    return [
        Message(
            "email",
            kind,
            r,
            dedupe_id,
            {
                **_base(r, event_names[r.locale]),
                "other_company": other_company,
                "reason": reason,
                "agenda_link": links.agenda,
            },
        )
        for r in recipients
    ]


def when(instant: str, time_zone: str, locale: str) -> str:
    """A meeting time as the recipient reads it, in the event's time zone."""
    local = datetime.fromisoformat(instant).astimezone(ZoneInfo(time_zone))
    return local.strftime("%d/%m %H:%M") if locale == "fr" else local.strftime("%b %d %H:%M")


def agenda_messages(
    dedupe_id: str,
    recipient: Recipient,
    version: int,
    changes: Mapping[str, Sequence[Mapping[str, str]]],
    event_names: Mapping[str, str],
    time_zone: str,
    links: Links,
    sms_active: bool,
) -> list[Message]:
    """One e-mail (published for a first version, changed after), and once SMS are active, one SMS
    per change to a verified mobile."""
    loc = recipient.locale

    def at(instant: str) -> str:
        return when(instant, time_zone, loc)

    added = [{"when": at(m["starts_at"]), "table": m["table"]} for m in changes.get("added", ())]
    moved = [
        {
            "when": at(m["to_starts_at"]),
            "table": m["to_table"],
            "from_when": at(m["from_starts_at"]),
            "from_table": m["from_table"],
        }
        for m in changes.get("moved", ())
    ]
    cancelled = [{"when": at(m["starts_at"]), "table": m["table"]} for m in changes.get("cancelled", ())]
    name = event_names[loc]
    context = {
        **_base(recipient, name),
        "agenda_link": links.agenda,
        "added": added,
        "moved": moved,
        "cancelled": cancelled,
    }
    kind = "agenda_published" if version == 1 else "agenda_changed"
    out = [Message("email", kind, recipient, dedupe_id, context)]
    if not sms_active or recipient.mobile is None or version == 1:
        return out
    for sms_kind, items, raw in (
        ("meeting_added", added, changes.get("added", ())),
        ("meeting_moved", moved, changes.get("moved", ())),
        ("meeting_cancelled", cancelled, changes.get("cancelled", ())),
    ):
        for item, source in zip(items, raw, strict=True):
            sms_context = {"event_name": name, "reason": SMS_REASON[loc], **item}
            out.append(Message("sms", sms_kind, recipient, dedupe_id, sms_context, part=source["meeting_id"]))
    return out


def due_date(instant: str, time_zone: str, locale: str) -> str:
    """A due date as the recipient reads it (the last day to act, in the event's time zone)."""
    local = datetime.fromisoformat(instant.replace("Z", "+00:00")).astimezone(ZoneInfo(time_zone))
    return local.strftime("%d/%m/%Y") if locale == "fr" else local.strftime("%d %b %Y")


def requalification_messages(
    dedupe_id: str,
    recipient: Recipient,
    event_names: Mapping[str, str],
    confirm_link: str,
    due_at: str,
    time_zone: str,
    links: Links,
) -> list[Message]:
    """The re-qualification e-mail: the one-click confirmation link, the date it expires, and where
    to sign in to correct the data."""
    context = {
        **_base(recipient, event_names[recipient.locale]),
        "confirm_link": confirm_link,
        "due_date": due_date(due_at, time_zone, recipient.locale),
        "sign_in_link": links.sign_in,
    }
    return [Message("email", "requalification_requested", recipient, dedupe_id, context)]


def consent_messages(
    dedupe_id: str,
    recipient: Recipient,
    event_names: Mapping[str, str],
    consent_link: str,
    due_at: str,
    time_zone: str,
) -> list[Message]:
    """The fresh-consent e-mail to a person erased at their request whom a registration names again:
    the one-click link that consents, and the date it expires (without it, nothing is stored)."""
    context = {
        **_base(recipient, event_names[recipient.locale]),
        "consent_link": consent_link,
        "due_date": due_date(due_at, time_zone, recipient.locale),
    }
    return [Message("email", "consent_requested", recipient, dedupe_id, context)]
