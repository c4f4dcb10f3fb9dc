"""Agendas from a schedule: meetings with their ids, each participant's entries in time order, the
diff between two versions, and the reason a participant reads for a request left out."""

from __future__ import annotations

from salon.scheduling.domain.agenda import (
    Entry,
    agendas,
    diff,
    meeting_id,
    meetings,
    reason_kind,
    reason_text,
)

PROBLEM = {
    "meetings": [
        {"companies": [0, 1], "participants": [0, 1]},
        {"companies": [0, 2], "participants": [0, 2, 3]},
    ]
}
KEY = {
    "participants": ["p-buyer", "p-one", "p-two", "p-two-bis"],
    "companies": ["r-buyer", "r-one", "r-two"],
    "requests": ["q-one", "q-two"],
    "meeting_ids": [meeting_id("t", "e", "q-one"), meeting_id("t", "e", "q-two")],
    "locks": ["none", "slot"],
    "slots": [["09:00", "09:30"], ["09:30", "10:00"]],
    "tables": ["A1", "A2"],
}
SCHEDULE = {"placements": [{"meeting": 1, "slot": 0, "table": 1}, {"meeting": 0, "slot": 1, "table": 0}]}


def test_meetings_carry_the_ids_behind_the_numbers_and_a_stable_id_per_request() -> None:
    placed = meetings(PROBLEM, SCHEDULE, KEY)
    assert [(m.request_id, m.registration_ids, m.participant_ids) for m in placed] == [
        ("q-two", ("r-buyer", "r-two"), ("p-buyer", "p-two", "p-two-bis")),
        ("q-one", ("r-buyer", "r-one"), ("p-buyer", "p-one")),
    ]
    assert placed[0].entry == Entry(meeting_id("t", "e", "q-two"), "09:00", "09:30", "A2")
    assert meeting_id("t", "e", "q-two") != meeting_id("t", "e2", "q-two")


def test_each_participant_gets_their_meetings_in_time_order() -> None:
    by_person = agendas(meetings(PROBLEM, SCHEDULE, KEY))
    assert [e.starts_at for e in by_person["p-buyer"]] == ["09:00", "09:30"]
    assert [e.table for e in by_person["p-two-bis"]] == ["A2"]
    assert "p-nobody" not in by_person


def test_the_diff_names_added_moved_and_cancelled_meetings() -> None:
    kept, moved, gone = (
        Entry("m1", "09:00", "09:30", "A1"),
        Entry("m2", "10:00", "10:30", "A1"),
        Entry("m3", "11:00", "11:30", "A2"),
    )
    new = Entry("m4", "12:00", "12:30", "A1")
    changes = diff([kept, moved, gone], [kept, Entry("m2", "10:00", "10:30", "A3"), new])
    assert changes["added"] == [new.as_item()]
    assert changes["cancelled"] == [gone.as_item()]
    assert changes["moved"] == [
        {
            "meeting_id": "m2",
            "from_starts_at": "10:00",
            "from_table": "A1",
            "to_starts_at": "10:00",
            "to_ends_at": "10:30",
            "to_table": "A3",
        }
    ]
    assert diff([kept], [kept]) == {"added": [], "moved": [], "cancelled": []}


def test_only_a_missing_common_slot_is_named_every_other_cause_reads_as_a_full_agenda() -> None:
    assert reason_kind("no_common_free_slot") == "no_common_free_slot"
    for engine_reason in ("participant_full", "quota_reached", "no_table", "lower_priority", "precedence"):
        assert reason_kind(engine_reason) == "agenda_full"
    assert reason_text("agenda_full", "fr") == "l'agenda de l'autre société était complet"
    assert reason_text("no_common_free_slot", "en") == "no common free slot"
    assert reason_text("no_common_free_slot", "de") == "no common free slot"
