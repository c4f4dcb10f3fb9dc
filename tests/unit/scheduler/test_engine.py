"""The engine on hand-built instances with known answers, and on diagnosable infeasible inputs."""

from dataclasses import replace

from salon_scheduler.engine import solve
from salon_scheduler.generator import Tier, generate
from salon_scheduler.instance import (
    Instance,
    Meeting,
    Mode,
    Placement,
    Schedule,
    Slot,
    StageReport,
    StageStatus,
    Table,
    UnscheduledReason,
)
from salon_scheduler.validate import Violation, validate


def triangle(n_slots: int = 3, n_tables: int = 1, **extra: object) -> Instance:
    """Persons 0, 1, 2 each meet the other two."""
    meetings = tuple(
        Meeting(i, companies=pair, participants=pair) for i, pair in enumerate([(0, 1), (0, 2), (1, 2)])
    )
    return Instance(
        name="triangle",
        participant_company=(0, 1, 2),
        slots=tuple(Slot(t) for t in range(n_slots)),
        tables=tuple(Table(t) for t in range(n_tables)),
        meetings=meetings,
        **extra,  # type: ignore[arg-type]
    )


def stage(schedule: Schedule, name: str) -> StageReport:
    return next(s for s in schedule.stages if s.name == name)


def test_triangle_needs_exactly_one_break() -> None:
    instance = triangle()
    schedule = solve(instance, time_limit_s=5)
    report = validate(instance, schedule.placements)
    assert report.ok
    assert report.metrics.meetings_placed == 3
    assert report.metrics.breaks_total == 1  # whoever meets at slots 0 and 2 waits once
    breaks = stage(schedule, "breaks")
    assert breaks.status == StageStatus.OPTIMAL
    assert schedule.upper_bound == 3


def test_heavier_meeting_wins_the_only_slot() -> None:
    instance = Instance(
        name="duel",
        participant_company=(0, 1, 2),
        slots=(Slot(0),),
        tables=(Table(0),),
        meetings=(Meeting(0, (0, 1), (0, 1), weight=1), Meeting(1, (0, 2), (0, 2), weight=3)),
    )
    schedule = solve(instance, time_limit_s=5)
    assert [p.meeting for p in schedule.placements] == [1]
    (left_out,) = schedule.unscheduled
    assert left_out.meeting == 0
    assert left_out.reason == UnscheduledReason.PARTICIPANT_FULL


def test_impossible_required_meeting_is_diagnosed() -> None:
    instance = Instance(
        name="apart",
        participant_company=(0, 1),
        slots=(Slot(0), Slot(1)),
        tables=(Table(0),),
        meetings=(Meeting(0, (0, 1), (0, 1), required=True),),
        forbidden={0: frozenset({0}), 1: frozenset({1})},
    )
    schedule = solve(instance, time_limit_s=5)
    assert schedule.placements == ()
    assert [u.reason for u in schedule.unscheduled] == [UnscheduledReason.NO_COMMON_FREE_SLOT]


def test_required_meetings_fighting_for_one_slot() -> None:
    instance = Instance(
        name="clash",
        participant_company=(0, 1, 2),
        slots=(Slot(0), Slot(1)),
        tables=(Table(0), Table(1)),
        meetings=(
            Meeting(0, (0, 1), (0, 1), required=True, fixed_slot=0),
            Meeting(1, (0, 2), (0, 2), required=True, fixed_slot=0),
        ),
    )
    schedule = solve(instance, time_limit_s=5)
    report = validate(instance, schedule.placements)
    assert [p.kind for p in report.problems] == [Violation.REQUIRED_UNPLACED]  # and nothing else
    assert len(schedule.placements) == 1
    assert [u.reason for u in schedule.unscheduled] == [UnscheduledReason.PARTICIPANT_FULL]


def test_no_table_large_enough() -> None:
    instance = Instance(
        name="crowd",
        participant_company=(0, 0, 1),
        slots=(Slot(0),),
        tables=(Table(0, capacity=2),),
        meetings=(Meeting(0, (0, 1), (0, 1, 2)),),
    )
    schedule = solve(instance, time_limit_s=5)
    assert [u.reason for u in schedule.unscheduled] == [UnscheduledReason.NO_TABLE]


def test_precedence_and_dedicated_table() -> None:
    instance = Instance(
        name="ordered",
        participant_company=(0, 1, 2),
        slots=tuple(Slot(t) for t in range(3)),
        tables=(Table(0, dedicated_company=2), Table(1)),
        meetings=(Meeting(0, (0, 2), (0, 2)), Meeting(1, (0, 1), (0, 1))),
        precedences=((1, 0),),
    )
    schedule = solve(instance, time_limit_s=5)
    assert validate(instance, schedule.placements).ok
    by_meeting = {p.meeting: p for p in schedule.placements}
    assert by_meeting[1].slot < by_meeting[0].slot
    assert by_meeting[0].table == 0  # company 2's own table
    assert by_meeting[1].table == 1


def test_locked_meetings_stay_and_moving_allowed_keeps_when_free() -> None:
    base = triangle(n_slots=4, n_tables=2)
    kept = Placement(0, 3, 1)
    meetings = (Meeting(0, (0, 1), (0, 1), existing=kept), *base.meetings[1:])
    for mode in (Mode.LOCKED, Mode.MOVING_ALLOWED):
        instance = Instance(
            name="again",
            participant_company=base.participant_company,
            slots=base.slots,
            tables=base.tables,
            meetings=meetings,
            mode=mode,
        )
        schedule = solve(instance, time_limit_s=5)
        assert validate(instance, schedule.placements).ok
        assert kept in schedule.placements
        assert len(schedule.placements) == 3


def test_locked_meetings_in_the_wrong_order_keep_only_the_first() -> None:
    """Meeting 0 must come before meeting 1, but they are locked the other way round: the earlier
    lock in the input is kept, the other cannot move in LOCKED mode, so it is left out."""
    base = triangle(n_slots=3, n_tables=2)
    meetings = (
        Meeting(0, (0, 1), (0, 1), existing=Placement(0, 2, 0)),
        Meeting(1, (0, 2), (0, 2), existing=Placement(1, 0, 0)),
        base.meetings[2],
    )
    instance = replace(base, meetings=meetings, precedences=((0, 1),), mode=Mode.LOCKED)
    schedule = solve(instance, time_limit_s=5)
    problems = validate(instance, schedule.placements).problems
    assert [p.kind for p in problems] == [Violation.LOCKED_MOVED]
    assert Placement(0, 2, 0) in schedule.placements
    assert 1 not in {p.meeting for p in schedule.placements}


def test_fairness_shares_requests() -> None:
    # person 0 is wanted by 1 and 2 in the only slot both are free; weights tie, so the shares decide
    instance = Instance(
        name="share",
        participant_company=(0, 1, 2, 3),
        slots=(Slot(0), Slot(1)),
        tables=(Table(0), Table(1)),
        meetings=(
            Meeting(0, (0, 1), (0, 1)),
            Meeting(1, (0, 2), (0, 2)),
            Meeting(2, (2, 3), (2, 3)),
        ),
        forbidden={1: frozenset({1}), 3: frozenset({1})},
    )
    schedule = solve(instance, time_limit_s=5)
    assert validate(instance, schedule.placements).ok
    assert len(schedule.placements) == 3
    assert stage(schedule, "fairness").objective == 1.0


def test_the_same_seed_and_time_limit_give_the_same_schedule() -> None:
    """A salon whose breaks stage runs every phase and stops on its limit, not on a proof."""
    instance = generate(Tier("twice", 30, 80), 0)
    first = solve(instance, time_limit_s=4, seed=3)
    again = solve(instance, time_limit_s=4, seed=3)
    assert stage(first, "breaks").status == StageStatus.FEASIBLE_AT_LIMIT
    assert first.placements == again.placements
    assert first.unscheduled == again.unscheduled


def test_a_locked_meetings_table_is_not_counted_as_free_for_others() -> None:
    """Slot 2 has two open tables, but the locked meeting keeps the shared one and the other is a
    sponsor's: the pair's two meetings must take other slots, or one of them loses its table."""
    instance = Instance(
        name="locked-table",
        participant_company=(0, 0, 0, 0, 0, 3),
        slots=(Slot(0), Slot(1), Slot(2, session=1), Slot(3, session=1)),
        tables=(Table(0, unavailable_slots=frozenset({2})), Table(1, dedicated_company=3), Table(2)),
        meetings=(
            Meeting(0, companies=(0, 0), participants=(0, 1)),
            Meeting(1, companies=(0, 0), participants=(0, 1)),
            Meeting(2, companies=(0, 3), participants=(2, 5), existing=Placement(2, 2, 2)),
        ),
        precedences=((0, 1),),
        mode=Mode.LOCKED,
        break_fairness=0,
    )
    schedule = solve(instance, time_limit_s=5, seed=0)
    assert schedule.unscheduled == ()
    assert Placement(2, 2, 2) in schedule.placements


def _star_with_gaps(cap: int | None) -> Instance:
    """Person 0 meets persons 1, 2 and 3 but is free only at slots 0, 2 and 4 of one day: all three
    meetings cost them two breaks, while the others have one meeting each and no break."""
    return Instance(
        name="star",
        participant_company=(0, 1, 2, 3),
        slots=tuple(Slot(t) for t in range(5)),
        tables=(Table(0), Table(1)),
        meetings=tuple(Meeting(i, companies=(0, i + 1), participants=(0, i + 1)) for i in range(3)),
        forbidden={0: frozenset({1, 3})},
        break_fairness=cap,
    )


def test_the_engine_leaves_meetings_out_to_respect_the_fairness_cap() -> None:
    instance = _star_with_gaps(1)
    schedule = solve(instance, time_limit_s=2.0, seed=0)
    report = validate(instance, schedule.placements)
    assert report.ok and report.metrics.breaks_max == 1
    assert len(schedule.placements) == 2
    assert [u.reason for u in schedule.unscheduled] == [UnscheduledReason.BREAKS_FAIRNESS]


def test_without_a_cap_the_engine_places_everything() -> None:
    instance = _star_with_gaps(None)
    schedule = solve(instance, time_limit_s=2.0, seed=0)
    assert validate(instance, schedule.placements).ok and len(schedule.placements) == 3
