"""The breaks annealer: incremental costs agree with a recount, moves keep every hard constraint, and
a seed and a work budget fix the outcome."""

import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from salon_scheduler import engine
from salon_scheduler.engine import solve, work_clock
from salon_scheduler.engine.anneal import WORK_PER_SECOND, Annealer
from salon_scheduler.engine.breaks import count_breaks
from salon_scheduler.engine.breaks_stage import SAT_ANNEAL_SHARE
from salon_scheduler.engine.capacity import capacity_rows
from salon_scheduler.engine.greedy_start import greedy_placement
from salon_scheduler.engine.prepare import Prepared, prepare
from salon_scheduler.engine.weight import solve_fairness
from salon_scheduler.instance import Instance, Meeting, Slot, Table
from scheduler_strategies import instances

PENALTY = 1000.0


def annealed(
    instance: Instance, seed: int, work: int, start: dict[int, int] | None = None
) -> tuple[Prepared, dict[int, int], Annealer]:
    prep = prepare(instance)
    if start is None:
        candidates = [m.index for m in instance.meetings if prep.allowed[m.index]]
        start = greedy_placement(prep, candidates, prep.locked_slots)
    annealer = Annealer(prep, start, instance.soft_break_cap, seed, PENALTY)
    annealer.run(time.monotonic() + 60.0, work=work)
    return prep, start, annealer


def assert_hard_constraints(prep: Prepared, placement: dict[int, int]) -> None:
    instance = prep.instance
    seen: set[tuple[int, int]] = set()
    for m, t in placement.items():
        assert t in prep.allowed[m]
        for p in instance.meetings[m].participants:
            assert (p, t) not in seen
            seen.add((p, t))
    for t in range(prep.n_slots):
        pairs = [(instance.meetings[m], m) for m, s in placement.items() if s == t]
        assert all(len(members) <= limit for members, limit in capacity_rows(instance, t, pairs))
    for before, after in instance.precedences:
        if before in placement and after in placement:
            assert placement[before] < placement[after]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_annealing_keeps_constraints_and_its_books_straight(instance: Instance) -> None:
    prep, start, annealer = annealed(instance, seed=3, work=3_000)
    assert set(annealer.best) == set(start)
    assert_hard_constraints(prep, annealer.best)
    for m in prep.locked:
        if m in start:
            assert annealer.best[m] == start[m]
    recount = count_breaks(prep, annealer.slot_of)
    cap = instance.soft_break_cap
    assert annealer.cost == sum(b + PENALTY * max(0, b - cap) for b in recount)
    best = count_breaks(prep, annealer.best)
    assert annealer.best_cost == sum(b + PENALTY * max(0, b - cap) for b in best)


def chain_instance() -> Instance:
    """One person meets five others, each unavailable in two slots."""
    meetings = tuple(Meeting(i, companies=(0, i + 1), participants=(0, i + 1)) for i in range(5))
    return Instance(
        name="chain",
        participant_company=tuple(range(6)),
        slots=tuple(Slot(t) for t in range(9)),
        tables=(Table(0),),
        meetings=meetings,
        forbidden={p: frozenset({(2 * p) % 9, (2 * p + 1) % 9}) for p in range(1, 6)},
    )


SPREAD_OUT = {0: 0, 1: 2, 2: 4, 3: 6, 4: 8}  # four breaks


def test_annealing_closes_the_gaps_of_a_busy_person() -> None:
    prep, start, annealer = annealed(chain_instance(), seed=0, work=50_000, start=SPREAD_OUT)
    assert sum(count_breaks(prep, start)) == 4
    assert annealer.best_cost == 0
    assert_hard_constraints(prep, annealer.best)


def test_same_seed_and_work_give_the_same_schedule() -> None:
    first = annealed(chain_instance(), seed=5, work=2_000, start=SPREAD_OUT)[2]
    second = annealed(chain_instance(), seed=5, work=2_000, start=SPREAD_OUT)[2]
    assert first.best == second.best and first.slot_of == second.slot_of


def test_annealing_budgets_ignore_how_long_the_earlier_stages_took(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The earlier stages are charged what their solves' pivots say, not what the clock says: a
    fairness stage 1.3 s slower leaves every budget of the breaks stage as it was."""
    pairs = ((0, 1), (0, 2), (1, 3), (1, 4), (5, 6), (5, 7), (6, 8), (6, 9))  # two one-break copies
    instance = Instance(
        name="two-breaks",
        participant_company=tuple(range(10)),
        slots=tuple(Slot(t) for t in range(8)),
        tables=(Table(0),),
        meetings=tuple(Meeting(i, companies=p, participants=p) for i, p in enumerate(pairs)),
        forbidden={2: frozenset({0, 3, 4, 5, 6, 7}), 7: frozenset({0, 1, 2, 3, 4, 7})}
        | {p: frozenset(range(4, 8)) for p in (0, 1, 3, 4)}
        | {p: frozenset(range(4)) for p in (5, 6, 8, 9)},
    )
    budgets: list[int] = []

    def record(self: Annealer, deadline: float, work: int, hot: float = 0.6, cold: float = 0.02) -> None:
        budgets.append(work)

    def slow_fairness(*args: Any, **kwargs: Any) -> Any:
        time.sleep(1.3)
        return solve_fairness(*args, **kwargs)

    monkeypatch.setattr(Annealer, "run", record)
    solve(instance, time_limit_s=10, seed=0)
    fast = list(budgets)
    budgets.clear()
    monkeypatch.setattr(engine, "solve_fairness", slow_fairness)
    solve(instance, time_limit_s=10, seed=0)
    assert fast and budgets == fast
    assert fast[0] == int(WORK_PER_SECOND * SAT_ANNEAL_SHARE * 8)  # small enough for the SAT descent


def test_the_work_clock_counts_the_charged_time_in_whole_seconds_rounded_up() -> None:
    assert work_clock(60, 0.17) == work_clock(60, 0.23) == work_clock(60, 1.0) == 54
    assert work_clock(60, 1.01) == 53
    assert work_clock(1, 0.5) == 1  # never below a second of work


def test_a_slot_whose_tables_cannot_seat_its_meetings_sends_one_away_before_annealing() -> None:
    """The sponsor's own table seats two, so its meeting of three and the other pair both need the
    one shared table: the start puts them together, the annealer parts them."""
    instance = Instance(
        name="crowded-start",
        participant_company=(0, 0, 1, 2, 3),
        slots=(Slot(0), Slot(1)),
        tables=(Table(0, capacity=2, dedicated_company=0), Table(1, capacity=4)),
        meetings=(
            Meeting(0, companies=(0, 1), participants=(0, 1, 2)),
            Meeting(1, companies=(2, 3), participants=(3, 4)),
        ),
    )
    prep = prepare(instance)
    annealer = Annealer(prep, {0: 0, 1: 0}, instance.soft_break_cap, 0, PENALTY)
    assert annealer.loads.overflow(0) == annealer.loads.overflow(1) == 0
    assert sorted(annealer.best.values()) == [0, 1]
