"""The aggregated (slot-free) weight bound is never below a valid schedule's weight, and the
large-instance path stays valid and never below the baseline on weight or smallest share."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from salon_scheduler.engine import large, solve
from salon_scheduler.engine.bound import aggregated_bound
from salon_scheduler.engine.prepare import prepare
from salon_scheduler.greedy import greedy
from salon_scheduler.instance import Instance, Meeting, Placement, Slot, Table
from salon_scheduler.validate import Violation, validate


@st.composite
def instances(draw: st.DrawFn) -> Instance:
    n_persons = draw(st.integers(2, 7))
    company = tuple(draw(st.lists(st.integers(0, 4), min_size=n_persons, max_size=n_persons)))
    n_slots = draw(st.integers(1, 6))
    slots = tuple(Slot(t, day=0, session=int(t >= n_slots // 2)) for t in range(n_slots))
    tables = tuple(
        Table(
            i,
            capacity=draw(st.sampled_from((2, 2, 4))),
            dedicated_company=draw(st.one_of(st.none(), st.none(), st.integers(0, 4))),
            unavailable_slots=frozenset(draw(st.sets(st.integers(0, n_slots - 1), max_size=1))),
        )
        for i in range(draw(st.integers(1, 3)))
    )
    meetings = []
    for index in range(draw(st.integers(1, 10))):
        a = draw(st.integers(0, n_persons - 1))
        b = (a + draw(st.integers(1, n_persons - 1))) % n_persons
        meetings.append(
            Meeting(
                index,
                companies=(company[a], company[b]),
                participants=(a, b),
                weight=draw(st.integers(1, 3)),
                sessions=draw(st.one_of(st.none(), st.just(frozenset({0})), st.just(frozenset({1})))),
                required=draw(st.booleans()),
            )
        )
    return Instance(
        name="random",
        participant_company=company,
        slots=slots,
        tables=tables,
        meetings=tuple(meetings),
        forbidden={
            p: frozenset(draw(st.sets(st.integers(0, n_slots - 1), max_size=2))) for p in range(n_persons)
        },
        max_meetings={p: draw(st.integers(1, 4)) for p in range(n_persons) if draw(st.booleans())},
        company_max_meetings={c: draw(st.integers(1, 4)) for c in set(company) if draw(st.booleans())},
    )


def weight_if_valid(instance: Instance, placements: tuple[Placement, ...]) -> int | None:
    report = validate(instance, placements)
    if any(p.kind != Violation.REQUIRED_UNPLACED for p in report.problems):
        return None
    return sum(instance.meetings[p.meeting].weight for p in placements)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_aggregated_bound_is_above_every_valid_schedule(instance: Instance) -> None:
    bound = aggregated_bound(prepare(instance), [m.index for m in instance.meetings], 5.0, 0)
    for placements in (greedy(instance).placements, solve(instance, time_limit_s=2.0, seed=0).placements):
        weight = weight_if_valid(instance, placements)
        if weight is not None:
            assert bound + 1e-6 >= weight


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(instance=instances())
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
