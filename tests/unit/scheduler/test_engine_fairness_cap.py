"""The fairness pass on its own: it receives whatever the earlier stages produced (also what they
produce when stopped at their deadline), so what it returns must meet the validator's rule."""

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from salon_scheduler.engine.fairness_cap import enforce_cap
from salon_scheduler.engine.prepare import prepare
from salon_scheduler.greedy import greedy
from salon_scheduler.instance import Instance, Meeting, Mode, Placement, Slot, Table
from salon_scheduler.validate import Violation, validate
from scheduler_strategies import instances

MUST_MEET_TWICE = Instance(
    name="must-meet-twice",
    participant_company=(0, 0, 0),
    slots=(Slot(0), Slot(1, session=1), Slot(2, session=1)),
    tables=(Table(0), Table(1), Table(2)),
    meetings=(
        Meeting(0, companies=(0, 0), participants=(1, 2), required=True),
        *(Meeting(m, companies=(0, 0), participants=(0, 1)) for m in (1, 2)),
        Meeting(3, companies=(0, 0), participants=(1, 2), required=True),
        *(Meeting(m, companies=(0, 0), participants=(0, 1)) for m in (4, 5)),
    ),
    forbidden={0: frozenset({0, 2})},
    break_fairness=0,
)
"""Persons 1 and 2 must meet twice; person 0 can only come at slot 1, where person 1 meets them."""

FIXED_APART = Instance(
    name="fixed-apart",
    participant_company=(0, 1, 2),
    slots=(Slot(0), Slot(1), Slot(2)),
    tables=(Table(0),),
    meetings=(
        Meeting(0, companies=(1, 2), participants=(1, 2), fixed_slot=0),
        Meeting(1, companies=(0, 1), participants=(0, 1), required=True, fixed_slot=2),
    ),
    break_fairness=0,
)
"""Person 1's meetings are fixed to slots 0 and 2: a break no schedule that keeps them avoids."""


# every meeting is company 2's, whose quota is 2: the weight stage takes required meeting 4 and the
# heaviest, 1, which give person 3 a break under a cap of 0; the cap pass removes 1, and meeting 0 or
# 2 must come back to match the baseline (4 with 2, nobody with a break)
CAPPED_BELOW_BASELINE = Instance(
    name="capped-below-baseline",
    participant_company=(2, 3, 0, 2),
    slots=(Slot(0, session=0), Slot(1, session=0), Slot(2, session=1), Slot(3, session=1)),
    tables=(Table(0, 2, 0), Table(1, 2), Table(2, 2)),
    meetings=(
        Meeting(0, (2, 0), (0, 2), 2),
        Meeting(1, (2, 0), (3, 2), 3, frozenset({0})),
        Meeting(2, (3, 2), (1, 0), 2, frozenset({0})),
        Meeting(3, (3, 2), (1, 3), 2, frozenset({0}), fixed_slot=0, existing=Placement(3, 0, 1)),
        Meeting(4, (2, 2), (3, 0), 2, required=True),
    ),
    forbidden={1: frozenset({0, 3}), 2: frozenset({2}), 3: frozenset({1, 3})},
    max_meetings={3: 4},
    min_meetings={0: 1, 2: 1, 3: 1},
    company_max_meetings={2: 2},
    precedences=((0, 4),),
    mode=Mode.FROM_SCRATCH,
    break_fairness=0,
)


def _pair(n_slots: int, meetings: tuple[Meeting, ...]) -> Instance:
    """Persons 0 and 1 meet; person 2 never does, so the fewest breaks is 0 and the cap 0."""
    return Instance(
        name="pair",
        participant_company=(0, 1, 2),
        slots=tuple(Slot(t) for t in range(n_slots)),
        tables=(Table(0),),
        meetings=meetings,
        break_fairness=0,
    )


@pytest.mark.parametrize("pinned", [{}, {"required": False, "fixed_slot": 0}])
def test_a_required_meeting_moves_and_the_meeting_in_its_way_goes(pinned: dict[str, object]) -> None:
    """What the engine used to return: person 2 waits through slot 1, and neither of their meetings
    may be removed (meeting 3 required, or fixed to slot 0). Meeting 0 takes slot 1 once meeting 5
    leaves it."""
    meetings = list(MUST_MEET_TWICE.meetings)
    meetings[3] = replace(meetings[3], **pinned)  # type: ignore[arg-type]
    instance = replace(MUST_MEET_TWICE, meetings=tuple(meetings))
    unfair = [Placement(3, 0, 0), Placement(5, 1, 0), Placement(0, 2, 0)]
    kept, removed = enforce_cap(prepare(instance), unfair)
    assert (kept, removed) == ([Placement(3, 0, 0), Placement(0, 1, 0)], [5])
    report = validate(instance, kept)
    assert report.ok and report.metrics.breaks_spread == 0


def test_a_meeting_moves_rather_than_going() -> None:
    instance = _pair(3, (Meeting(0, (0, 1), (0, 1), fixed_slot=0), Meeting(1, (0, 1), (0, 1))))
    kept, removed = enforce_cap(prepare(instance), [Placement(0, 0, 0), Placement(1, 2, 0)])
    assert (kept, removed) == ([Placement(0, 0, 0), Placement(1, 1, 0)], [])


def test_breaks_between_fixed_meetings_are_a_floor_not_a_fault() -> None:
    """Fixed at slots 0 and 2, the pair has a break nobody can remove; their meeting at slot 4 (the
    only other slot person 0 can come) adds a second one and goes."""
    fixed = tuple(Meeting(m, (0, 1), (0, 1), fixed_slot=t) for m, t in ((0, 0), (1, 2)))
    instance = replace(
        _pair(5, (*fixed, Meeting(2, (0, 1), (0, 1), weight=3))), forbidden={0: frozenset({1, 3})}
    )
    placements = [Placement(0, 0, 0), Placement(1, 2, 0), Placement(2, 4, 0)]
    kept, removed = enforce_cap(prepare(instance), placements)
    assert (kept, removed) == (placements[:2], [2])
    report = validate(instance, kept)
    assert report.ok and not report.metrics.fairness_respected
    assert [p.kind for p in validate(instance, placements).problems] == [Violation.BREAKS_UNFAIR]


def test_a_meeting_left_out_comes_back_after_a_removal() -> None:
    """Person 3's meetings in slots 0 and 2 make a break: heavy meeting 1 goes (4 is required), and
    meeting 0, which the company's quota kept out, takes slot 1 without a break for anyone."""
    start = [Placement(1, 0, 1), Placement(4, 2, 1)]
    kept, removed = enforce_cap(prepare(CAPPED_BELOW_BASELINE), start)
    assert (kept, removed) == ([Placement(0, 1, 0), Placement(4, 2, 1)], [1])
    assert validate(CAPPED_BELOW_BASELINE, kept).ok


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_the_pass_makes_any_valid_schedule_fair(instance: Instance) -> None:
    """The greedy baseline ignores the cap: after the pass its schedule breaks no rule it did not
    break before, and never the cap's."""
    start = greedy(instance).placements
    kept, removed = enforce_cap(prepare(instance), list(start))
    before = {p.kind for p in validate(instance, start).problems} - {Violation.BREAKS_UNFAIR}
    assert {p.kind for p in validate(instance, kept).problems} <= before
    assert {p.meeting for p in start} <= {p.meeting for p in kept} | set(removed)
    assert {p.meeting for p in kept}.isdisjoint(removed)
