"""The `SCOPE=runs` benchmark on a tiny tier: seeded, run through the state machine, published, measured."""

from typing import Any

from localcloud.bench_runs import bench_in, format_runs, format_solves, solve_step
from salon_scheduler.generator import Tier


def test_runs_bench_measures_a_tiny_tier_end_to_end(cloud: Any) -> None:
    figures = bench_in(cloud, Tier("T", 20, 30), time_limit_s=3)
    assert figures.status == "ready"
    assert figures.requested == 30 and 0 < figures.placed <= 30
    assert figures.meetings_published == figures.placed and figures.agendas > 0
    assert {"snapshot", "solve", "check"} <= set(figures.step_s)
    assert all(seconds >= 0 for seconds in figures.step_s.values())
    assert figures.documents["problem.json"] > 0
    assert sum(n for name, n in figures.publish_calls.items() if name.startswith("dynamodb:")) > 0
    table = format_runs([figures])
    assert table[2].startswith("| T | 20 / 30 |") and len(table) == 2 + len(figures.step_s) + 1


def test_solve_step_alone_on_a_tiny_tier(cloud: Any) -> None:
    figures = solve_step(cloud, Tier("T", 20, 30), time_limit_s=2)
    assert figures.requested == 30 and 0 < figures.placed <= 30 and figures.violations == 0
    assert figures.seconds > 0 and figures.problem_bytes > 0
    assert "| T | 20 / 30 |" in format_solves([figures])[-1]
