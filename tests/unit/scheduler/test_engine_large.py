"""The path for events past the large-event threshold repeats its schedule whatever the clock
says: the weight search re-solves a number of windows fixed by its budget, and the breaks stage
builds no model whose result would depend on where a time limit cut it."""

import time
from typing import Any

import pytest
from salon_scheduler import engine
from salon_scheduler.engine import breaks_stage, large, solve
from salon_scheduler.engine.anneal import Annealer
from salon_scheduler.engine.breaks_stage import (
    ANNEAL_SHARE,
    FULL_SHARE,
    LARGE_WORK_PER_SECOND,
    ONE_RUN_SHARE,
)
from salon_scheduler.generator import Tier, generate
from salon_scheduler.validate import validate

SALON = Tier("large-path", 40, 120)


def test_the_weight_search_solves_as_many_windows_however_slow_each_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(large, "LARGE_SIZE", 0)
    instance = generate(SALON, 0)
    windows: list[int] = []
    reoptimise = large._reoptimise

    def counted(*args: Any, **kwargs: Any) -> Any:
        windows[-1] += 1
        return reoptimise(*args, **kwargs)

    def slowed(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.6)  # half a window's planned time: a clock-bound search would solve fewer
        return counted(*args, **kwargs)

    monkeypatch.setattr(large, "_reoptimise", counted)
    windows.append(0)
    fast = solve(instance, time_limit_s=20, seed=1)
    monkeypatch.setattr(large, "_reoptimise", slowed)
    windows.append(0)
    slow = solve(instance, time_limit_s=20, seed=1)
    planned = int(large.SEARCH_SHARE * 0.3 * 20 / large.WINDOW_SECONDS)
    assert windows == [planned, planned]
    assert fast.placements == slow.placements
    assert validate(instance, fast.placements).ok


def test_the_breaks_stage_of_a_large_event_builds_no_model_and_plans_at_the_large_rate(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(large, "LARGE_SIZE", 0)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a large event's breaks stage built a model")

    budgets: list[int] = []
    clocks: list[int] = []
    run = Annealer.run
    minimise_breaks = breaks_stage.minimise_breaks

    def recorded(self: Annealer, deadline: float, work: int, hot: float = 0.6, cold: float = 0.02) -> None:
        budgets.append(work)
        run(self, deadline, work, hot, cold)

    def clocked(*args: Any, **kwargs: Any) -> Any:
        clocks.append(args[4])
        return minimise_breaks(*args, **kwargs)

    monkeypatch.setattr(breaks_stage, "build_breaks_model", refuse)
    monkeypatch.setattr(Annealer, "run", recorded)
    monkeypatch.setattr(engine, "minimise_breaks", clocked)
    monkeypatch.setattr(breaks_stage, "sat_applies", lambda *args: False)  # it would on so small a salon
    instance = generate(SALON, 2)
    schedule = solve(instance, time_limit_s=10, seed=0)
    assert validate(instance, schedule.placements).ok
    share = ANNEAL_SHARE + ONE_RUN_SHARE + FULL_SHARE  # the first annealing also takes the models' time
    assert budgets[0] == int(LARGE_WORK_PER_SECOND * share * clocks[0])
