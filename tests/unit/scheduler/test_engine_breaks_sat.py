"""The clause-learning descent of the breaks stage: the given schedule is always a model, every
schedule it returns keeps the hard constraints and the fairness limits, and it finds or refutes
small cases whose answer is known."""

from hypothesis import HealthCheck, given, settings
from salon_scheduler.engine.breaks import count_breaks
from salon_scheduler.engine.breaks_sat import BreaksSat, Verdict
from salon_scheduler.engine.greedy_start import greedy_placement
from salon_scheduler.engine.prepare import prepare
from salon_scheduler.instance import Instance, Meeting, Slot, Table
from scheduler_strategies import instances
from test_engine_anneal import assert_hard_constraints

BUDGET = 20_000


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_answers_keep_the_meetings_the_constraints_and_the_limits(instance: Instance) -> None:
    prep = prepare(instance)
    candidates = [m.index for m in instance.meetings if prep.allowed[m.index]]
    start = greedy_placement(prep, candidates, prep.locked_slots)
    before = count_breaks(prep, start)
    model = BreaksSat(prep, start, instance.soft_break_cap)
    try:
        assert model.below(sum(before), BUDGET).verdict == Verdict.FOUND  # the start itself qualifies
        answer = model.below(max(0, sum(before) - 1), BUDGET)
    finally:
        model.close()
    if answer.verdict != Verdict.FOUND:
        return
    assert answer.placement is not None
    assert set(answer.placement) == set(start)
    assert_hard_constraints(prep, answer.placement)
    after = count_breaks(prep, answer.placement)
    assert sum(after) <= max(0, sum(before) - 1)
    assert all(b <= max(instance.soft_break_cap, a) for a, b in zip(before, after, strict=True))
    assert all(answer.placement[m] == slot for m, slot in prep.locked_slots.items() if m in start)


def host(
    slots: tuple[Slot, ...], late_guest_slots: frozenset[int], early_guest_slots: frozenset[int]
) -> Instance:
    """Person 0 meets persons 1 and 2, who can come only in the slots given."""
    every = frozenset(t.index for t in slots)
    return Instance(
        name="host",
        participant_company=(0, 1, 2),
        slots=slots,
        tables=(Table(0),),
        meetings=(
            Meeting(0, companies=(0, 1), participants=(0, 1)),
            Meeting(1, companies=(0, 2), participants=(0, 2)),
        ),
        forbidden={1: every - early_guest_slots, 2: every - late_guest_slots},
    )


def descend_to_zero(instance: Instance, start: dict[int, int]) -> tuple[Verdict, dict[int, int] | None]:
    prep = prepare(instance)
    assert sum(count_breaks(prep, start)) == 1
    model = BreaksSat(prep, start, instance.soft_break_cap)
    try:
        answer = model.below(0, BUDGET)
    finally:
        model.close()
    return answer.verdict, answer.placement


ONE_DAY = tuple(Slot(t) for t in range(4))


def test_closes_a_break_when_a_slot_next_to_the_other_meeting_is_free() -> None:
    verdict, placement = descend_to_zero(host(ONE_DAY, frozenset({1, 2, 3}), frozenset({0, 1})), {0: 0, 1: 2})
    assert verdict == Verdict.FOUND
    assert placement is not None and abs(placement[0] - placement[1]) == 1


def test_says_none_when_every_schedule_has_a_break() -> None:
    verdict, placement = descend_to_zero(host(ONE_DAY, frozenset({3}), frozenset({0, 1})), {0: 1, 1: 3})
    assert verdict == Verdict.NONE
    assert placement is None


def test_meetings_on_two_days_make_no_break() -> None:
    two_days = tuple(Slot(t, day=t // 3) for t in range(6))
    verdict, placement = descend_to_zero(host(two_days, frozenset({5}), frozenset({0, 3})), {0: 3, 1: 5})
    assert verdict == Verdict.FOUND
    assert placement == {0: 0, 1: 5}
