"""Re-planning an event's reminders when its dates change (``event.changed``): the event-wide schedules
follow the new dates, a meeting reminder is created when SMS activation now covers it, and whatever
is no longer wanted (now past, a deadline removed, a meeting before activation) is deleted."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from salon.notify.domain.reminder_plan import CLOSE_NAME, event_schedules, meetings_of, replan
from salon.notify.domain.reminders import EventDates, MeetingTime

START = datetime(2027, 3, 12, 8, 0, tzinfo=UTC)
NOW = START - timedelta(days=20)
DATES = EventDates(
    event_id="evt_1",
    starts_at=START,
    ends_at=START + timedelta(days=1),
    requests_deadline_at=START - timedelta(days=10),
    answers_deadline_at=START - timedelta(days=7),
    sms_activation_at=START - timedelta(hours=1),
)
MEETING = MeetingTime("mtg_1", START + timedelta(hours=2))


def planned_names(dates: EventDates, meetings: dict[str, list[MeetingTime]]) -> list[str]:
    puts, _ = replan("ten_1", dates, meetings, [], NOW)
    return [s.name for s in puts]


def test_moved_dates_put_every_event_wide_schedule_at_its_new_time_and_delete_nothing() -> None:
    before = planned_names(DATES, {"p1": [MEETING]})
    later = replace(DATES, starts_at=START + timedelta(days=7), ends_at=START + timedelta(days=8))

    puts, gone = replan("ten_1", later, {"p1": [MEETING]}, before, NOW)

    assert [(s.input["kind"], s.expression) for s in puts] == [
        ("requests_deadline", "at(2027-02-27T08:00:00)"),
        ("answers_deadline", "at(2027-03-03T08:00:00)"),
        ("agenda_tomorrow", "at(2027-03-18T08:00:00)"),
        ("event_ended", "at(2027-03-20T08:00:00)"),
    ]  # same names: an update of each schedule; the meeting reminder exists and is left alone
    assert {s.name for s in puts} <= set(before)
    assert gone == []


def test_a_removed_deadline_and_one_now_past_are_deleted() -> None:
    before = planned_names(DATES, {})
    moved = replace(DATES, requests_deadline_at=None, answers_deadline_at=NOW + timedelta(days=1))

    puts, gone = replan("ten_1", moved, {}, before, NOW)

    assert [s.input["kind"] for s in puts] == ["agenda_tomorrow", "event_ended"]
    by_kind = {s.input["kind"]: s.name for s in event_schedules("ten_1", DATES)}
    assert gone == sorted([by_kind["requests_deadline"], by_kind["answers_deadline"]])


def test_sms_activation_decides_which_meeting_reminders_exist() -> None:
    meetings = {"p1": [MEETING], "p2": [MeetingTime("mtg_2", START - timedelta(hours=3))]}
    before = planned_names(DATES, meetings)  # mtg_2 is before activation: not planned
    assert len(before) == 5

    earlier = replace(DATES, sms_activation_at=START - timedelta(days=1))
    puts, gone = replan("ten_1", earlier, meetings, before, NOW)
    assert [s.input.get("meeting_id") for s in puts if s.input["kind"] == "meeting_soon"] == ["mtg_2"]
    assert gone == []

    none = replace(DATES, sms_activation_at=None)
    puts, gone = replan("ten_1", none, meetings, before, NOW)
    assert all(s.input["kind"] != "meeting_soon" for s in puts)
    assert gone == [n for n in before if n.startswith("meeting_soon-")]


def test_replanning_twice_changes_nothing_more() -> None:
    later = replace(DATES, starts_at=START + timedelta(days=1), ends_at=START + timedelta(days=2))
    puts, gone = replan("ten_1", later, {"p1": [MEETING]}, [], NOW)
    again, gone_again = replan("ten_1", later, {"p1": [MEETING]}, [s.name for s in puts], NOW)

    assert gone == gone_again == []
    assert [s.name for s in again] == [s.name for s in puts if s.input["kind"] != "meeting_soon"]
    assert CLOSE_NAME in {s.name for s in again}


def test_meetings_are_read_from_the_stored_agendas() -> None:
    agendas = {"p1": {"meetings": [{"meeting_id": "mtg_1", "starts_at": "2027-03-12T10:00:00+00:00"}]}}

    assert meetings_of(agendas) == {"p1": [MEETING]}
    assert meetings_of({"p2": {}}) == {"p2": []}
