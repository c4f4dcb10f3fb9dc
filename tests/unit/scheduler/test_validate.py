import re
from dataclasses import replace

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from salon_scheduler.generator import Tier, generate
from salon_scheduler.greedy import greedy
from salon_scheduler.instance import Instance, Meeting, Mode, Placement, Slot, Table
from salon_scheduler.validate import Violation, count_breaks, unavoidable_breaks, validate


def small_instance(**changes: object) -> Instance:
    """Persons 0..3, companies (0, 0, 1, 2); six slots, 0-2 on day 0 and 3-5 on day 1; two tables."""
    base = Instance(
        name="small",
        participant_company=(0, 0, 1, 2),
        slots=tuple(Slot(index=s, day=s // 3, session=s % 3 // 2) for s in range(6)),
        tables=(Table(0), Table(1, capacity=3)),
        meetings=(
            Meeting(0, companies=(0, 1), participants=(0, 2)),
            Meeting(1, companies=(0, 2), participants=(0, 3), weight=3),
            Meeting(2, companies=(1, 2), participants=(2, 3)),
            Meeting(3, companies=(0, 1), participants=(0, 1, 2), weight=2),
            Meeting(4, companies=(0, 2), participants=(1, 3)),
        ),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


CLEAN = (Placement(0, 0, 0), Placement(1, 2, 0), Placement(2, 1, 0), Placement(3, 4, 1), Placement(4, 5, 1))


def test_clean_schedule_and_its_metrics() -> None:
    report = validate(small_instance(), CLEAN)
    assert report.ok, report.problems
    metrics = report.metrics
    assert (metrics.meetings_placed, metrics.meetings_requested) == (5, 5)
    assert (metrics.weight_placed, metrics.weight_requested) == (8, 8)
    # person 0: slots 0, 2 (day 0) and 4 (day 1) -> one break; person 2: 0, 1, 4 -> none;
    # person 3: 1, 2 and 5 -> none; person 1: 4, 5 -> none.
    assert (metrics.breaks_total, metrics.breaks_max, metrics.breaks_min, metrics.breaks_spread) == (
        1,
        1,
        0,
        1,
    )
    assert metrics.fairness_respected
    assert (metrics.share_min, metrics.share_max) == (1.0, 1.0)
    # person 0 changes table only across days (not counted); person 2 likewise
    assert metrics.table_changes_total == 0
    assert metrics.dedicated_honour_rate is None


def test_partial_schedule_metrics() -> None:
    placements = (Placement(1, 0, 0), Placement(2, 1, 1), Placement(0, 2, 1))
    metrics = validate(small_instance(break_fairness=0), placements).metrics
    assert metrics.meetings_placed == 3 and metrics.weight_placed == 5
    assert metrics.share_min == 0.0  # person 1's two requests are both unplaced
    assert metrics.share_max == pytest.approx(2 / 3)  # persons 0, 2 and 3 get 2 of their 3
    # person 2: slots 1 (table 1) and 2 (table 1); person 3: slots 0 (table 0), 1 (table 1) -> one change;
    # person 0: slot 0 (table 0), slot 2 (table 1) -> one change and one break
    assert metrics.table_changes_total == 2 and metrics.table_changes_max == 1
    assert metrics.breaks_total == 1 and not metrics.fairness_respected


def test_dedicated_honour_rate() -> None:
    instance = small_instance(tables=(Table(0, dedicated_company=2), Table(1, capacity=3)))
    metrics = validate(instance, (Placement(1, 0, 0), Placement(2, 1, 1), Placement(0, 2, 1))).metrics
    assert metrics.dedicated_honour_rate == 0.5  # meetings 1 and 2 involve company 2; only 1 is at its table


@pytest.mark.parametrize(
    ("changes", "placements", "kind"),
    [
        ({}, (*CLEAN, Placement(9, 0, 0)), Violation.UNKNOWN_ID),
        ({}, (*CLEAN, Placement(0, 6, 0)), Violation.UNKNOWN_ID),
        ({}, (*CLEAN, Placement(0, 3, 1)), Violation.PLACED_TWICE),
        ({}, (Placement(0, 0, 0), Placement(1, 0, 1)), Violation.PERSON_DOUBLE_BOOKED),
        ({}, (Placement(0, 0, 0), Placement(2, 0, 1)), Violation.PERSON_DOUBLE_BOOKED),
        ({}, (Placement(0, 1, 0), Placement(4, 1, 0)), Violation.TABLE_DOUBLE_BOOKED),
        ({}, (Placement(3, 0, 0),), Violation.CAPACITY),
        (
            {"tables": (Table(0, unavailable_slots=frozenset({1})),)},
            (Placement(0, 1, 0),),
            Violation.TABLE_UNAVAILABLE,
        ),
        ({"tables": (Table(0, dedicated_company=2),)}, (Placement(0, 1, 0),), Violation.DEDICATED_TABLE),
        ({"forbidden": {2: frozenset({5})}}, (Placement(0, 5, 0),), Violation.FORBIDDEN_SLOT),
        ({"precedences": ((0, 4),)}, (Placement(0, 2, 0), Placement(4, 2, 1)), Violation.PRECEDENCE),
        ({"precedences": ((0, 4),)}, (Placement(0, 3, 0), Placement(4, 2, 1)), Violation.PRECEDENCE),
        ({"max_meetings": {0: 1}}, (Placement(0, 0, 0), Placement(1, 1, 0)), Violation.PERSON_QUOTA),
        ({"company_max_meetings": {2: 1}}, (Placement(1, 0, 0), Placement(2, 1, 0)), Violation.COMPANY_QUOTA),
    ],
)
def test_catches_injected_violation(
    changes: dict[str, object], placements: tuple[Placement, ...], kind: Violation
) -> None:
    report = validate(small_instance(**changes), placements)
    assert [p.kind for p in report.problems] == [kind]


def test_session_fixed_locked_required() -> None:
    meetings = small_instance().meetings
    restricted = (
        replace(meetings[0], sessions=frozenset({1})),
        replace(meetings[1], fixed_slot=3),
        replace(meetings[2], existing=Placement(2, 5, 0)),
        replace(meetings[3], required=True),
    )
    instance = small_instance(meetings=restricted, mode=Mode.LOCKED)
    report = validate(instance, (Placement(0, 0, 0), Placement(1, 4, 0), Placement(2, 5, 1)))
    assert sorted(p.kind for p in report.problems) == sorted(
        [Violation.SESSION, Violation.FIXED_SLOT, Violation.LOCKED_MOVED, Violation.REQUIRED_UNPLACED]
    )
    unlocked = validate(replace(instance, mode=Mode.MOVING_ALLOWED), (Placement(0, 2, 0), Placement(1, 3, 0)))
    assert [p.kind for p in unlocked.problems] == [Violation.REQUIRED_UNPLACED]


def test_precedence_with_unplaced_meeting_is_not_a_violation() -> None:
    assert validate(small_instance(precedences=((0, 1),)), (Placement(1, 0, 0),)).ok


def runs_by_regex(occupied: list[bool]) -> int:
    return len(re.findall(r"(?<=1)0+(?=1)", "".join("1" if o else "0" for o in occupied)))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.booleans(), min_size=6, max_size=6))
def test_breaks_are_idle_runs_between_meetings_of_a_day(occupied: list[bool]) -> None:
    instance = small_instance()
    slots = [s for s, busy in enumerate(occupied) if busy]
    assert count_breaks(instance, slots) == runs_by_regex(occupied[:3]) + runs_by_regex(occupied[3:])


placements_strategy = st.lists(
    st.builds(Placement, st.integers(0, 4), st.integers(0, 5), st.integers(0, 1)),
    max_size=5,
    unique_by=lambda p: p.meeting,
)


@settings(max_examples=150, deadline=None)
@given(placements_strategy, st.data())
def test_dropping_a_placement_never_adds_a_clash(placements: list[Placement], data: st.DataObject) -> None:
    instance = small_instance()
    before = validate(instance, placements)
    if placements:
        placements.pop(data.draw(st.integers(0, len(placements) - 1)))
    after = validate(instance, placements)
    for kind in (Violation.PERSON_DOUBLE_BOOKED, Violation.TABLE_DOUBLE_BOOKED, Violation.CAPACITY):
        assert after.count(kind) <= before.count(kind)
    assert after.metrics.meetings_placed <= before.metrics.meetings_placed


@settings(max_examples=30, deadline=None)
@given(st.integers(10, 40), st.integers(0, 100_000), st.data())
def test_catches_a_clash_injected_into_a_real_schedule(persons: int, seed: int, data: st.DataObject) -> None:
    instance = generate(Tier("H", persons, persons * 3, slots_per_day=6), seed)
    placements = list(greedy(instance).placements)
    assume(len(placements) >= 2)
    victim, other = data.draw(st.lists(st.sampled_from(placements), min_size=2, max_size=2, unique=True))
    moved = Placement(victim.meeting, other.slot, other.table)  # onto another meeting's table and slot
    placements[placements.index(victim)] = moved
    report = validate(instance, placements)
    assert report.count(Violation.TABLE_DOUBLE_BOOKED) >= 1
    shares_someone = set(instance.meetings[victim.meeting].participants) & set(
        instance.meetings[other.meeting].participants
    )
    if shares_someone:
        assert report.count(Violation.PERSON_DOUBLE_BOOKED) >= 1


def _one_person_meets(others: int, slots: tuple[Slot, ...], forbidden: frozenset[int]) -> Instance:
    return Instance(
        name="availability",
        participant_company=tuple(range(others + 1)),
        slots=slots,
        tables=(Table(0),),
        meetings=tuple(Meeting(i, companies=(0, i + 1), participants=(0, i + 1)) for i in range(others)),
        forbidden={0: forbidden},
    )


def test_unavoidable_breaks_follow_availability() -> None:
    one_day = tuple(Slot(t) for t in range(5))
    hole_in_the_middle = _one_person_meets(4, one_day, frozenset({2}))
    assert unavoidable_breaks(hole_in_the_middle, [0, 1, 2, 3]) == 1
    assert unavoidable_breaks(hole_in_the_middle, [0, 1]) == 0
    two_days = tuple(Slot(t, day=t // 2) for t in range(4))
    assert unavoidable_breaks(_one_person_meets(4, two_days, frozenset()), [0, 1, 2, 3]) == 0
    scattered = _one_person_meets(3, one_day, frozenset({1, 3}))
    assert unavoidable_breaks(scattered, [0, 1, 2]) == 2
    placements = [Placement(0, 0, 0), Placement(1, 2, 0), Placement(2, 4, 0)]
    assert validate(scattered, placements).metrics.breaks_unavoidable_max == 2


def test_fairness_cap_is_a_hard_constraint_when_set() -> None:
    # CLEAN gives person 0 one break and person 1 none: spread 1
    assert validate(small_instance(break_fairness=1), CLEAN).ok
    unfair = validate(small_instance(break_fairness=0), CLEAN)
    assert [problem.kind for problem in unfair.problems] == [Violation.BREAKS_UNFAIR]
    assert not unfair.metrics.fairness_respected


@pytest.mark.parametrize(
    ("staying", "mode"),
    [
        ({"required": True}, Mode.FROM_SCRATCH),
        ({"fixed_slot": 0}, Mode.FROM_SCRATCH),
        ({"existing": Placement(0, 0, 0)}, Mode.LOCKED),
    ],
)
def test_breaks_among_meetings_that_must_stay_are_not_held_against_the_cap(
    staying: dict[str, object], mode: Mode
) -> None:
    """Person 0's break in CLEAN lies between meetings 0 (slot 0) and 1 (slot 2): when both must
    stay, nothing can remove it; when meeting 1 could go, it is a fault."""
    meetings = small_instance().meetings
    first = replace(meetings[0], **staying)  # type: ignore[arg-type]
    second = replace(meetings[1], required=True)
    excused = small_instance(meetings=(first, second, *meetings[2:]), mode=mode, break_fairness=0)
    report = validate(excused, CLEAN)
    assert report.ok and not report.metrics.fairness_respected
    alone = replace(excused, meetings=(first, *meetings[1:]))
    assert [problem.kind for problem in validate(alone, CLEAN).problems] == [Violation.BREAKS_UNFAIR]


def test_no_fairness_cap_accepts_any_spread() -> None:
    report = validate(small_instance(break_fairness=None), CLEAN)
    assert report.ok and report.metrics.fairness_respected and report.metrics.breaks_spread == 1
