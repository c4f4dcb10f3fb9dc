"""Per-meeting locks (slot and table), company unavailability and per-day quotas: the document reads
them, the engine honours them and the independent validator catches a schedule that does not."""

import pytest
from pydantic import ValidationError
from salon_scheduler.document import problem_document, read_problem
from salon_scheduler.engine import solve
from salon_scheduler.instance import Instance, Meeting, Mode, Placement, Slot, Table, UnscheduledReason
from salon_scheduler.validate import Violation, validate


def two_days(**extra: object) -> Instance:
    """Person 0 (company 0) meets persons 1, 2, 3 (companies 1, 2, 3); two days of two slots."""
    return Instance(
        name="two-days",
        participant_company=(0, 1, 2, 3),
        slots=(Slot(0, day=0), Slot(1, day=0), Slot(2, day=1), Slot(3, day=1)),
        tables=(Table(0), Table(1)),
        meetings=tuple(Meeting(i, (0, i + 1), (0, i + 1), weight=i + 1) for i in range(3)),
        **extra,  # type: ignore[arg-type]
    )


def test_a_meeting_locked_to_a_slot_and_table_keeps_both_in_every_mode() -> None:
    for mode in Mode:
        base = two_days(mode=mode)
        locked = Meeting(0, (0, 1), (0, 1), weight=1, fixed_slot=3, fixed_table=1)
        instance = Instance(**{**base.__dict__, "meetings": (locked, *base.meetings[1:])})

        schedule = solve(instance, time_limit_s=2)

        assert Placement(0, 3, 1) in schedule.placements, mode
        assert validate(instance, schedule.placements).ok


def test_an_impossible_lock_leaves_the_meeting_out_rather_than_elsewhere() -> None:
    base = two_days(forbidden={1: frozenset({3})})
    locked = Meeting(0, (0, 1), (0, 1), fixed_slot=3, fixed_table=1)
    instance = Instance(**{**base.__dict__, "meetings": (locked, *base.meetings[1:])})

    schedule = solve(instance, time_limit_s=2)

    assert 0 not in {p.meeting for p in schedule.placements}
    assert validate(instance, schedule.placements).ok


def test_the_validator_catches_a_locked_meeting_at_another_table() -> None:
    base = two_days()
    instance = Instance(
        **{**base.__dict__, "meetings": (Meeting(0, (0, 1), (0, 1), fixed_slot=0, fixed_table=1),)}
    )

    assert validate(instance, [Placement(0, 0, 0)]).count(Violation.FIXED_TABLE) == 1
    assert validate(instance, [Placement(0, 0, 1)]).ok


def test_a_per_day_quota_spreads_the_meetings_over_both_days() -> None:
    instance = two_days(day_max_meetings={0: 1})

    schedule = solve(instance, time_limit_s=2)

    days = [instance.slots[p.slot].day for p in schedule.placements]
    assert sorted(days) == [0, 1]  # two of three meetings, one a day
    assert {p.meeting for p in schedule.placements} == {1, 2}  # the heaviest two
    (left,) = schedule.unscheduled
    assert left.reason == UnscheduledReason.QUOTA_REACHED
    assert validate(instance, schedule.placements).ok


def test_the_validator_catches_day_quotas_of_a_person_and_of_a_company() -> None:
    placements = [Placement(0, 0, 0), Placement(1, 1, 0)]  # both on day 0

    person = validate(two_days(day_max_meetings={0: 1}), placements)
    company = validate(two_days(company_day_max_meetings={0: 1}), placements)

    assert person.count(Violation.PERSON_DAY_QUOTA) == 1
    assert company.count(Violation.COMPANY_DAY_QUOTA) == 1
    assert validate(two_days(day_max_meetings={0: 2}), placements).ok


def test_company_unavailability_blocks_each_of_its_participants() -> None:
    document = problem_document(two_days())
    document["participant_company"] = [0, 1, 1, 2]
    document["meetings"] = [
        {"companies": [0, 1], "participants": [0, 1]},
        {"companies": [0, 1], "participants": [0, 2]},
        {"companies": [0, 2], "participants": [0, 3]},
    ]
    document["company_forbidden"] = {"1": [0, 1, 2]}

    instance = read_problem(document)
    schedule = solve(instance, time_limit_s=2)

    assert instance.forbidden == {1: frozenset({0, 1, 2}), 2: frozenset({0, 1, 2})}
    assert {p.slot for p in schedule.placements if p.meeting in (0, 1)} <= {3}
    assert validate(instance, schedule.placements).ok


def test_the_document_round_trips_the_new_fields_and_names_bad_references() -> None:
    base = two_days(day_max_meetings={0: 1}, company_day_max_meetings={1: 2})
    instance = Instance(
        **{**base.__dict__, "meetings": (Meeting(0, (0, 1), (0, 1), fixed_slot=1, fixed_table=0),)}
    )
    assert read_problem(problem_document(instance)) == instance

    document = problem_document(instance)
    document["meetings"][0].update(fixed_slot=None, fixed_table=9)
    document["company_forbidden"] = {"7": [0]}
    document["company_day_max_meetings"] = {"8": 1}
    with pytest.raises(ValidationError) as caught:
        read_problem(document)
    fields = {tuple(e["loc"]) for e in caught.value.errors()}
    assert {
        ("meetings", 0, "fixed_table"),
        ("company_forbidden", 7),
        ("company_day_max_meetings", 8),
    } <= fields
