"""The scheduling engine: `solve(instance, time_limit_s, seed) -> Schedule`.

Stages, each keeping the previous optimum: weight (with required meetings and, in MOVING_ALLOWED
mode, fewest moves as tie-breaker), fairness, breaks, tables. Stages 1-3 never index by table;
tables are assigned per slot at the end."""

from __future__ import annotations

import time
from dataclasses import replace

from ..instance import Instance, Schedule, StageReport, StageStatus, Unscheduled
from .diagnose import explain, impossible_alone
from .greedy_start import greedy_placement
from .lns import minimise_breaks
from .prepare import prepare
from .tables import assign_tables, dedicated_misses, table_changes
from .weight import solve_fairness, solve_weight

__all__ = ["solve"]


def solve(instance: Instance, time_limit_s: float = 60.0, seed: int = 0) -> Schedule:
    began = time.monotonic()
    deadline = began + 0.97 * time_limit_s  # slack for solver overruns
    prep = prepare(instance)
    hopeless = {m.index: reason for m in instance.meetings if (reason := impossible_alone(prep, m.index))}
    candidates = [m.index for m in instance.meetings if m.index not in hopeless]
    start = greedy_placement(prep, candidates, prep.locked_slots)
    stage1 = solve_weight(prep, candidates, start, 0.3 * time_limit_s, seed)
    stage2 = solve_fairness(prep, candidates, stage1.placement, _budget(deadline, 0.15 * time_limit_s), seed)
    tables_reserve = 0.05 * time_limit_s
    # MOVING_ALLOWED: placements kept by stages 1-2 stay put from here on (moves rank above breaks)
    kept = {m: target for m, target in prep.preferred.items() if stage2.placement.get(m) == target[0]}
    stage3 = minimise_breaks(
        replace(prep, locked={**prep.locked, **kept}),
        stage2.placement,
        instance.break_fairness,
        _budget(deadline, deadline - time.monotonic() - tables_reserve),
        seed,
    )
    tables_began = time.monotonic()
    placements, homeless = assign_tables(prep, stage3.placement)
    placed = {p.meeting: p.slot for p in placements}
    tables_report = StageReport(
        "tables",
        StageStatus.HEURISTIC,
        float(dedicated_misses(prep, placements) * (len(placements) + 1) + table_changes(prep, placements)),
        None,
        time.monotonic() - tables_began,
    )
    unscheduled: list[Unscheduled] = [
        hopeless.get(m.index) or explain(prep, m.index, placed, set(homeless))
        for m in instance.meetings
        if m.index not in placed
    ]
    return Schedule(
        instance=instance.name,
        placements=tuple(sorted(placements, key=lambda p: (p.slot, p.table))),
        unscheduled=tuple(unscheduled),
        stages=(stage1.report, stage2.report, stage3.report, tables_report),
        upper_bound=stage1.upper_bound,
        seconds=time.monotonic() - began,
    )


def _budget(deadline: float, wanted: float) -> float:
    return max(0.1, min(wanted, deadline - time.monotonic()))
