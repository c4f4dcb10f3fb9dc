"""Reminder planning: which schedules an event and an agenda change call for, their ids-only input,
and whether a fired schedule is still due once a meeting moved or went."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from salon.notify.domain.reminder_plan import (
    CLOSE_NAME,
    SCHEDULED_TIME,
    agenda_schedules,
    event_schedules,
    still_due,
)
from salon.notify.domain.reminders import EventDates, MeetingTime

START = datetime(2027, 3, 12, 8, 0, tzinfo=UTC)
DATES = EventDates(
    event_id="evt_1",
    starts_at=START,
    ends_at=START + timedelta(days=1),
    requests_deadline_at=START - timedelta(days=10),
    answers_deadline_at=START - timedelta(days=7),
    sms_activation_at=START - timedelta(hours=1),
)


def added(mid: str, at: datetime) -> dict[str, str]:
    return {"meeting_id": mid, "starts_at": at.isoformat(), "ends_at": at.isoformat(), "table": "T1"}


def test_an_event_plans_its_three_reminders_and_the_close_of_its_group() -> None:
    planned = event_schedules("ten_1", DATES)

    assert [(s.input["kind"], s.expression) for s in planned] == [
        ("requests_deadline", "at(2027-02-27T08:00:00)"),
        ("answers_deadline", "at(2027-03-03T08:00:00)"),
        ("agenda_tomorrow", "at(2027-03-11T08:00:00)"),
        ("event_ended", "at(2027-03-13T08:00:00)"),
    ]
    assert planned[-1].name == CLOSE_NAME
    assert planned[0].input == {
        "tenant_id": "ten_1",
        "event_id": "evt_1",
        "kind": "requests_deadline",
        "scheduled_time": SCHEDULED_TIME,
    }
    assert len({s.name for s in planned}) == 4


def test_an_agenda_change_plans_added_meetings_for_that_participant_only_once_sms_are_active() -> None:
    before_sms = START - timedelta(hours=2)
    changes = {"added": [added("mtg_a", START + timedelta(hours=1)), added("mtg_early", before_sms)]}

    upserts, gone = agenda_schedules("ten_1", DATES, "par_1", changes)

    [schedule] = upserts
    assert schedule.expression == "at(2027-03-12T08:45:00)"
    assert schedule.input == {
        "tenant_id": "ten_1",
        "event_id": "evt_1",
        "kind": "meeting_soon",
        "scheduled_time": SCHEDULED_TIME,
        "meeting_id": "mtg_a",
        "participant_id": "par_1",
    }
    assert gone == []
    other, _ = agenda_schedules("ten_1", DATES, "par_2", changes)
    assert other[0].name != schedule.name  # the other participant's reminder of the same meeting


def test_a_moved_meeting_updates_its_schedule_and_a_cancelled_one_deletes_it() -> None:
    first, _ = agenda_schedules(
        "ten_1", DATES, "par_1", {"added": [added("mtg_a", START + timedelta(hours=1))]}
    )
    moved = {
        "meeting_id": "mtg_a",
        "from_starts_at": (START + timedelta(hours=1)).isoformat(),
        "to_starts_at": (START + timedelta(hours=3)).isoformat(),
    }

    upserts, gone = agenda_schedules("ten_1", DATES, "par_1", {"moved": [moved]})
    assert [(s.name, s.expression) for s in upserts] == [(first[0].name, "at(2027-03-12T10:45:00)")]
    assert gone == []

    upserts, gone = agenda_schedules(
        "ten_1", DATES, "par_1", {"cancelled": [added("mtg_a", START + timedelta(hours=3))]}
    )
    assert upserts == [] and gone == [first[0].name]


def test_a_meeting_moved_before_sms_activation_loses_its_schedule() -> None:
    first, _ = agenda_schedules(
        "ten_1", DATES, "par_1", {"added": [added("mtg_a", START + timedelta(hours=1))]}
    )
    moved = {
        "meeting_id": "mtg_a",
        "from_starts_at": "x",
        "to_starts_at": (START - timedelta(hours=3)).isoformat(),
    }

    upserts, gone = agenda_schedules("ten_1", DATES, "par_1", {"moved": [moved]})

    assert upserts == [] and gone == [first[0].name]


def test_a_fired_schedule_is_due_only_for_the_current_time() -> None:
    meeting = MeetingTime("mtg_a", START + timedelta(hours=1))
    fired_at = START + timedelta(minutes=45)

    assert still_due("meeting_soon", DATES, fired_at, meeting)
    assert not still_due("meeting_soon", DATES, fired_at, MeetingTime("mtg_a", START + timedelta(hours=2)))
    assert not still_due("meeting_soon", DATES, fired_at, None)  # cancelled: not on the agenda
    assert still_due("answers_deadline", DATES, START - timedelta(days=9))
    moved_deadline = EventDates("evt_1", START, START + timedelta(days=1), answers_deadline_at=START)
    assert not still_due("answers_deadline", moved_deadline, START - timedelta(days=9))
