"""The aggregated (slot-free) weight bound is never below a valid schedule's weight, and the
large-instance path stays valid and never below the baseline on weight or smallest share."""

import pytest
from hypothesis import HealthCheck, given, settings
from salon_scheduler.engine import large, solve
from salon_scheduler.engine.bound import aggregated_bound
from salon_scheduler.engine.prepare import prepare
from salon_scheduler.greedy import greedy
from salon_scheduler.instance import Instance, Placement
from salon_scheduler.validate import Violation, validate
from scheduler_strategies import instances


def weight_if_valid(instance: Instance, placements: tuple[Placement, ...]) -> int | None:
    report = validate(instance, placements)
    if any(p.kind != Violation.REQUIRED_UNPLACED for p in report.problems):
        return None
    return sum(instance.meetings[p.meeting].weight for p in placements)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(with_orderings=False))
def test_aggregated_bound_is_above_every_valid_schedule(instance: Instance) -> None:
    bound = aggregated_bound(prepare(instance), [m.index for m in instance.meetings], 5.0, 0).value
    for placements in (greedy(instance).placements, solve(instance, time_limit_s=2.0, seed=0).placements):
        weight = weight_if_valid(instance, placements)
        if weight is not None:
            assert bound + 1e-6 >= weight


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(instance=instances(with_orderings=False))
def test_large_path_is_valid_and_not_below_baseline(
    instance: Instance, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(large, "LARGE_SIZE", 0)
    schedule = solve(instance, time_limit_s=2.0, seed=0)
    report = validate(instance, schedule.placements)
    assert [p for p in report.problems if p.kind != Violation.REQUIRED_UNPLACED] == []
    baseline = greedy(instance)
    base = validate(instance, baseline.placements)
    assert report.metrics.weight_placed >= base.metrics.weight_placed
    assert report.metrics.share_min >= base.metrics.share_min - 1e-9
    assert schedule.upper_bound + 1e-6 >= report.metrics.weight_placed
