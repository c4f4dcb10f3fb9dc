"""Reminders: when each is due, which fire between two clock ticks, and their Scheduler names."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from salon.notify.domain.reminders import (
    EventDates,
    MeetingTime,
    at_expression,
    due,
    group_name,
    reminders,
    schedule_name,
)

START = datetime(2027, 3, 12, 8, 0, tzinfo=UTC)
DATES = EventDates(
    event_id="evt_1",
    starts_at=START,
    ends_at=START + timedelta(days=1),
    requests_deadline_at=START - timedelta(days=10),
    answers_deadline_at=START - timedelta(days=7),
    sms_activation_at=START - timedelta(hours=1),
)
MEETINGS = [
    MeetingTime("mtg_a", START + timedelta(hours=1)),
    MeetingTime("mtg_b", START + timedelta(hours=2)),
]


def test_each_reminder_at_its_offset() -> None:
    planned = reminders(DATES, MEETINGS)

    assert [(r.kind, r.at, r.channel) for r in planned] == [
        ("requests_deadline", START - timedelta(days=13), "email"),
        ("answers_deadline", START - timedelta(days=9), "email"),
        ("agenda_tomorrow", START - timedelta(days=1), "email"),
        ("meeting_soon", START + timedelta(minutes=45), "sms"),
        ("meeting_soon", START + timedelta(minutes=105), "sms"),
    ]


def test_no_sms_reminder_before_sms_activation_nor_without_it() -> None:
    late = EventDates("evt_1", START, START + timedelta(days=1), sms_activation_at=START + timedelta(hours=1))
    never = EventDates("evt_1", START, START + timedelta(days=1))

    assert [r.subject_id for r in reminders(late, MEETINGS) if r.kind == "meeting_soon"] == ["mtg_b"]
    assert [r.kind for r in reminders(never, MEETINGS)] == ["agenda_tomorrow"]


def test_a_clock_fires_each_reminder_once() -> None:
    planned = reminders(DATES, MEETINGS)
    ticks = [START - timedelta(days=20) + timedelta(hours=6 * n) for n in range(100)]
    fired = [r for before, now in itertools.pairwise(ticks) for r in due(planned, before, now)]

    assert fired == planned


def test_scheduler_names_are_stable_and_short() -> None:
    [first, *_] = reminders(DATES, MEETINGS)

    assert schedule_name(first) == schedule_name(reminders(DATES, MEETINGS)[0])
    assert len(group_name("tenant-with-a-long-name", "evt_" + "f" * 32)) <= 64
    assert at_expression(first) == "at(2027-02-27T08:00:00)"
