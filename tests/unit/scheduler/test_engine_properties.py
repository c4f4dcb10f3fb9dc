"""Property tests: on small random instances the engine never breaks a hard constraint, never moves a
locked meeting, and never does worse than the greedy baseline on the first objective."""

from hypothesis import HealthCheck, example, given, settings
from salon_scheduler.engine import solve
from salon_scheduler.greedy import greedy
from salon_scheduler.instance import Instance, Mode, Placement
from salon_scheduler.validate import Violation, validate
from scheduler_strategies import instances
from test_engine_fairness_cap import FIXED_APART, MUST_MEET_TWICE


def required_and_weight(instance: Instance, placements: tuple[Placement, ...]) -> tuple[int, int]:
    placed = [instance.meetings[p.meeting] for p in placements]
    return sum(1 for m in placed if m.required), sum(m.weight for m in placed)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
@example(MUST_MEET_TWICE)  # fair only if a required meeting moves (the weight stage places three)
@example(FIXED_APART)  # unfair whatever the engine does, but only by the floor of its fixed meetings
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
