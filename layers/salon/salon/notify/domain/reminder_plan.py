"""Which EventBridge Scheduler schedules an event and an agenda change call for, and whether a schedule
that fires is still due. Pure: the dates, meetings and changes are given.

A schedule's input holds ids only (tenant, event, kind, participant, meeting) and the time it was
planned for (Scheduler's ``<aws.scheduler.scheduled-time>``): the reminder function plans again from
the current state and sends only if the same reminder is due at that time, so a moved deadline or
meeting, or a cancelled one, sends nothing from its old schedule.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from salon.notify.domain.reminders import (
    EventDates,
    MeetingTime,
    Reminder,
    ReminderKind,
    at_expression,
    reminders,
    schedule_name,
)
from salon.registration.domain.events import Event

CLOSE: Literal["event_ended"] = "event_ended"  # at the event's end: the group is deleted
CLOSE_NAME = "event-ended"
SCHEDULED_TIME = "<aws.scheduler.scheduled-time>"  # Scheduler puts the planned time in the input


@dataclass(frozen=True)
class Schedule:
    name: str
    expression: str
    input: dict[str, str]
    at: datetime


def _input(tenant_id: str, event_id: str, kind: str, reminder: Reminder | None = None) -> dict[str, str]:
    out = {"tenant_id": tenant_id, "event_id": event_id, "kind": kind, "scheduled_time": SCHEDULED_TIME}
    if reminder is not None and reminder.kind == "meeting_soon":
        out["meeting_id"] = reminder.subject_id
        out["participant_id"] = reminder.participant_id or ""
    return out


def schedule_of(tenant_id: str, reminder: Reminder, event_id: str) -> Schedule:
    return Schedule(
        schedule_name(reminder),
        at_expression(reminder),
        _input(tenant_id, event_id, reminder.kind, reminder),
        reminder.at,
    )


def event_schedules(tenant_id: str, dates: EventDates) -> list[Schedule]:
    """The event-wide reminders (deadlines, the day before) and the schedule that closes the group."""
    out = [schedule_of(tenant_id, r, dates.event_id) for r in reminders(dates)]
    close = f"at({dates.ends_at.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%S')})"
    return [*out, Schedule(CLOSE_NAME, close, _input(tenant_id, dates.event_id, CLOSE), dates.ends_at)]


def agenda_schedules(
    tenant_id: str, dates: EventDates, participant_id: str, changes: Mapping[str, Sequence[Mapping[str, str]]]
) -> tuple[list[Schedule], list[str]]:
    """An agenda change's meeting reminders: those to create or move (added and moved meetings, once
    SMS are active then) and the names of those to delete (cancelled meetings)."""
    times = [MeetingTime(m["meeting_id"], _time(m["starts_at"])) for m in changes.get("added", ())]
    times += [MeetingTime(m["meeting_id"], _time(m["to_starts_at"])) for m in changes.get("moved", ())]
    planned = reminders(dates, times, participant_id)
    upserts = [schedule_of(tenant_id, r, dates.event_id) for r in planned if r.kind == "meeting_soon"]
    kept = {s.name for s in upserts}
    gone = [
        schedule_name(Reminder("meeting_soon", dates.starts_at, m["meeting_id"], participant_id))
        for m in [*changes.get("cancelled", ()), *changes.get("moved", ())]
    ]
    return upserts, [name for name in gone if name not in kept]


def replan(
    tenant_id: str,
    dates: EventDates,
    meetings: Mapping[str, Sequence[MeetingTime]],
    planned: Collection[str],
    now: datetime,
) -> tuple[list[Schedule], list[str]]:
    """The event's schedules once its dates changed, given its participants' meetings and the names of
    the schedules its group holds: those to put and the names of those to delete.

    Every event-wide schedule still ahead is put (its name is stable, its time follows the new dates);
    a meeting reminder only if missing (a meeting's time moves with ``agenda.changed``, not with the
    event's dates; SMS activation decides whether it is planned at all). A planned schedule no longer
    wanted (now past, its deadline removed, its meeting before SMS activation) is deleted."""
    event_wide = [s for s in event_schedules(tenant_id, dates) if s.at > now]
    meeting_soon = [
        schedule_of(tenant_id, r, dates.event_id)
        for participant_id, times in meetings.items()
        for r in reminders(dates, times, participant_id)
        if r.kind == "meeting_soon" and r.at > now
    ]
    wanted = {s.name for s in [*event_wide, *meeting_soon]}
    puts = [*event_wide, *(s for s in meeting_soon if s.name not in planned)]
    return puts, sorted(name for name in planned if name not in wanted)


def still_due(
    kind: ReminderKind, dates: EventDates, scheduled: datetime, meeting: MeetingTime | None = None
) -> bool:
    """Whether the reminder ``kind`` planned from the current state is due at ``scheduled`` (to the
    second, as Scheduler fires): a moved or cancelled deadline or meeting is not."""
    planned = reminders(dates, [meeting] if meeting else []) if kind == "meeting_soon" else reminders(dates)
    want = scheduled.astimezone(UTC).replace(microsecond=0)
    return any(r.kind == kind and r.at.astimezone(UTC).replace(microsecond=0) == want for r in planned)


def meetings_of(agendas: Mapping[str, Mapping[str, Any]]) -> dict[str, list[MeetingTime]]:
    """Participant id -> their meetings' times, from their agendas as stored."""
    return {
        pid: [
            MeetingTime(str(m["meeting_id"]), _time(str(m["starts_at"]))) for m in agenda.get("meetings", ())
        ]
        for pid, agenda in agendas.items()
    }


def dates_of(event: Event) -> EventDates:
    k = event.key_dates
    return EventDates(
        event.event_id,
        event.starts_at,
        event.ends_at,
        k.requests_deadline_at,
        k.answers_deadline_at,
        k.sms_activation_at,
    )


def _time(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
