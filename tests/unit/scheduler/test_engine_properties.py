"""Property tests: on small random instances the engine never breaks a hard constraint, never moves a
locked meeting, and never does worse than the greedy baseline on the first objective."""

from hypothesis import HealthCheck, example, given, settings
from salon_scheduler.engine import solve
from salon_scheduler.greedy import greedy
from salon_scheduler.instance import Instance, Meeting, Mode, Placement, Slot, Table
from salon_scheduler.validate import Violation, validate
from scheduler_strategies import instances
from test_engine_fairness_cap import CAPPED_BELOW_BASELINE, FIXED_APART, MUST_MEET_TWICE

# person 1's quota of 2 cannot take the three required meetings 0, 1 and 3: narrowing 1 and 3 for
# their order would push 3 onto the only slot of meeting 4 (weight 6 where greedy places 7)
QUOTA_BELOW_REQUIRED_CHAIN = Instance(
    name="quota-below-required-chain",
    participant_company=(2, 2, 2, 2),
    slots=(
        Slot(0, session=0),
        Slot(1, session=0),
        Slot(2, session=1),
        Slot(3, session=1),
        Slot(4, session=1),
    ),
    tables=(Table(0, 2, 4), Table(1, 2, 1, frozenset({1})), Table(2, 4)),
    meetings=(
        Meeting(0, (2, 2), (3, 1), 3, frozenset({0}), required=True),
        Meeting(1, (2, 2), (0, 1), 1, frozenset({1}), required=True, existing=Placement(1, 2, 1)),
        Meeting(2, (2, 2), (3, 1), 2, frozenset({1}), fixed_slot=4, existing=Placement(2, 1, 1)),
        Meeting(3, (2, 2), (2, 1), 2, frozenset({1}), required=True),
        Meeting(4, (2, 2), (2, 3), 2, existing=Placement(4, 4, 1)),
    ),
    forbidden={2: frozenset({4}), 3: frozenset({0, 2})},
    max_meetings={0: 4, 1: 2, 2: 3, 3: 4},
    min_meetings={0: 1, 1: 1, 2: 1, 3: 1},
    precedences=((1, 3),),
    mode=Mode.MOVING_ALLOWED,
    break_fairness=2,
)

# every meeting is company 4's; table 0 is company 2's, open in slot 1 but of no use to anyone: a
# capacity row counting it let the weight stage put three meetings into slot 1's two usable tables
ALIEN_DEDICATED_TABLE = Instance(
    name="alien-dedicated-table",
    participant_company=(4, 4, 4, 4, 0, 0, 4),
    slots=(Slot(0, day=0, session=0), Slot(1, day=0, session=1), Slot(2, day=1, session=1)),
    tables=(Table(0, 4, 2, frozenset({2})), Table(1, 2, 4, frozenset({0})), Table(2, 2, 4, frozenset({2}))),
    meetings=(
        Meeting(0, (4, 4), (0, 2), 2),
        Meeting(1, (4, 4), (0, 3), 1, existing=Placement(1, 0, 2)),
        Meeting(2, (4, 4), (3, 2), 3, frozenset({0}), required=True, existing=Placement(2, 1, 2)),
        Meeting(3, (4, 4), (3, 0), 2, required=True),
        Meeting(4, (4, 4), (6, 3), 3, frozenset({0}), required=True, existing=Placement(4, 0, 2)),
        Meeting(5, (4, 4), (2, 1), 1, required=True),
        Meeting(6, (4, 4), (3, 1), 1, frozenset({1}), fixed_slot=2, existing=Placement(6, 1, 0)),
        Meeting(7, (0, 4), (5, 3), 1, frozenset({1}), fixed_slot=1, existing=Placement(7, 0, 2)),
        Meeting(8, (4, 4), (6, 0), 1, required=True),
    ),
    forbidden={1: frozenset({2}), 4: frozenset({0, 1}), 6: frozenset({0, 2})},
    max_meetings={2: 3, 3: 4, 5: 3, 6: 2},
    min_meetings={0: 1, 3: 1, 5: 1},
    company_max_meetings={0: 2},
    precedences=((0, 8), (0, 8)),
)


# one table, a cap of 0: the weight stage places all four slots, person 2's meeting in slot 1 among
# three of person 1's, so person 1 has a break where nobody else has one; removing one of them leaves
# no fair room to add another, where the baseline gives the four slots to persons 0 and 1
ONE_TABLE_UNDER_CAP = Instance(
    name="one-table-under-cap",
    participant_company=(0, 0, 0),
    slots=(Slot(0, session=0), Slot(1, session=0), Slot(2, session=1), Slot(3, session=1)),
    tables=(Table(0),),
    meetings=(
        Meeting(0, (0, 0), (0, 1), 1),
        Meeting(1, (0, 0), (0, 1), 1),
        Meeting(2, (0, 0), (0, 2), 1, frozenset({0})),
        Meeting(3, (0, 0), (0, 1), 1),
        Meeting(4, (0, 0), (0, 1), 1),
    ),
    forbidden={2: frozenset({0})},
    break_fairness=0,
)


def required_and_weight(instance: Instance, placements: tuple[Placement, ...]) -> tuple[int, int]:
    placed = [instance.meetings[p.meeting] for p in placements]
    return sum(1 for m in placed if m.required), sum(m.weight for m in placed)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
@example(MUST_MEET_TWICE)  # fair only if a required meeting moves (the weight stage places three)
@example(FIXED_APART)  # unfair whatever the engine does, but only by the floor of its fixed meetings
@example(QUOTA_BELOW_REQUIRED_CHAIN)
@example(ALIEN_DEDICATED_TABLE)
@example(CAPPED_BELOW_BASELINE)
@example(ONE_TABLE_UNDER_CAP)
def test_engine_is_valid_and_never_below_greedy(instance: Instance) -> None:
    schedule = solve(instance, time_limit_s=2.0, seed=1)
    report = validate(instance, schedule.placements)
    tolerated = {Violation.REQUIRED_UNPLACED, Violation.LOCKED_MOVED}
    assert [p for p in report.problems if p.kind not in tolerated] == []
    placed = {p.meeting for p in schedule.placements}
    unplaced = {u.meeting for u in schedule.unscheduled}
    assert placed.isdisjoint(unplaced)
    assert placed | unplaced == {m.index for m in instance.meetings}
    if instance.mode == Mode.LOCKED:
        for meeting in instance.meetings:
            if meeting.existing is not None and meeting.index in placed:
                assert meeting.existing in schedule.placements
    baseline = greedy(instance)
    baseline_report = validate(instance, baseline.placements)
    # the baseline ignores the fairness cap: an unfair baseline (even one whose spread the meetings
    # that must stay excuse) may place what a fair schedule cannot
    if not baseline_report.count(Violation.LOCKED_MOVED) and baseline_report.metrics.fairness_respected:
        assert required_and_weight(instance, schedule.placements) >= required_and_weight(
            instance, baseline.placements
        )
    assert schedule.upper_bound + 1e-6 >= required_and_weight(instance, schedule.placements)[1]
