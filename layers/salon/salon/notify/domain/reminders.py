"""Reminders of an event: when each is due, and the EventBridge Scheduler names production gives them
(one schedule group per event, deleted when the event ends). Pure: the dates and meetings are given.

- ``requests_deadline``: three days before ``key_dates.requests_deadline_at`` (e-mail);
- ``answers_deadline``: two days before ``key_dates.answers_deadline_at`` (e-mail);
- ``agenda_tomorrow``: the day before the event starts (e-mail, with the agenda link);
- ``meeting_soon``: 15 minutes before each meeting (SMS to a verified mobile, once SMS are active).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

ReminderKind = Literal["requests_deadline", "answers_deadline", "agenda_tomorrow", "meeting_soon"]
BEFORE: dict[ReminderKind, timedelta] = {
    "requests_deadline": timedelta(days=3),
    "answers_deadline": timedelta(days=2),
    "agenda_tomorrow": timedelta(days=1),
    "meeting_soon": timedelta(minutes=15),
}


@dataclass(frozen=True)
class EventDates:
    event_id: str
    starts_at: datetime
    ends_at: datetime
    requests_deadline_at: datetime | None = None
    answers_deadline_at: datetime | None = None
    sms_activation_at: datetime | None = None


@dataclass(frozen=True)
class MeetingTime:
    meeting_id: str
    starts_at: datetime


@dataclass(frozen=True)
class Reminder:
    kind: ReminderKind
    at: datetime
    subject_id: str  # the event, or the meeting of a meeting_soon
    participant_id: str | None = None  # whose meeting_soon it is

    @property
    def channel(self) -> str:
        return "sms" if self.kind == "meeting_soon" else "email"


def reminders(
    dates: EventDates, meetings: Iterable[MeetingTime] = (), participant_id: str | None = None
) -> list[Reminder]:
    """Every reminder of the event (of ``participant_id``'s meetings), by time; an SMS reminder only
    once SMS are active."""
    out: list[Reminder] = []
    anchors: tuple[tuple[ReminderKind, datetime | None], ...] = (
        ("requests_deadline", dates.requests_deadline_at),
        ("answers_deadline", dates.answers_deadline_at),
        ("agenda_tomorrow", dates.starts_at),
    )
    for kind, anchor in anchors:
        if anchor is not None:
            out.append(Reminder(kind, anchor - BEFORE[kind], dates.event_id))
    for meeting in meetings:
        at = meeting.starts_at - BEFORE["meeting_soon"]
        if dates.sms_activation_at is not None and at >= dates.sms_activation_at:
            out.append(Reminder("meeting_soon", at, meeting.meeting_id, participant_id))
    return sorted(out, key=lambda r: (r.at, r.kind, r.subject_id))


def due(planned: Sequence[Reminder], after: datetime, until: datetime) -> list[Reminder]:
    """What a clock that last ticked at ``after`` fires at ``until`` (each reminder fires once)."""
    return [r for r in planned if after < r.at <= until]


def group_name(tenant_id: str, event_id: str) -> str:
    """The event's EventBridge Scheduler group (at most 64 characters)."""
    return f"salon-{hashlib.sha256(f'{tenant_id}:{event_id}'.encode()).hexdigest()[:40]}"


def schedule_name(reminder: Reminder) -> str:
    """A schedule's name in its group: stable, so planning again replaces rather than duplicates."""
    subject = f"{reminder.kind}:{reminder.subject_id}:{reminder.participant_id or ''}"
    digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
    return f"{reminder.kind}-{digest}"[:64]


def at_expression(reminder: Reminder) -> str:
    """EventBridge Scheduler's one-time expression, in UTC."""
    return f"at({reminder.at.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%S')})"
