"""The scheduling engine: `solve(instance, time_limit_s, seed) -> Schedule`.

Stages, each keeping the previous optimum: weight (with required meetings and, in MOVING_ALLOWED
mode, fewest moves as tie-breaker), fairness, breaks, tables. Stages 1-3 never index by table;
tables are assigned per slot at the end."""

from __future__ import annotations

import math
import time
from dataclasses import replace

from ..instance import Instance, Schedule, StageReport, StageStatus, Unscheduled, UnscheduledReason
from .bound import aggregated_bound
from .breaks_stage import minimise_breaks
from .day_quotas import within_day_quotas
from .diagnose import explain, impossible_alone, placement_loads
from .fair_baseline import better_fair_baseline
from .fairness_cap import enforce_cap
from .greedy_start import greedy_placement
from .large import is_large, solve_weight_large
from .prepare import Prepared, prepare
from .repair import reinsert
from .tables import assign_tables, dedicated_misses, table_changes
from .weight import StageOutcome, skipped_fairness, solve_fairness, solve_weight

__all__ = ["solve", "work_clock"]

DEADLINE_SLACK = 0.03
TABLES_SHARE = 0.05


def solve(instance: Instance, time_limit_s: float = 60.0, seed: int = 0) -> Schedule:
    began = time.monotonic()
    deadline = began + (1.0 - DEADLINE_SLACK) * time_limit_s  # slack for solver overruns
    prep = prepare(instance)
    hopeless = {m.index: reason for m in instance.meetings if (reason := impossible_alone(prep, m.index))}
    candidates = [m.index for m in instance.meetings if m.index not in hopeless]
    start = greedy_placement(prep, candidates, prep.locked_slots)
    large = is_large(prep, candidates)
    if large:
        bound = aggregated_bound(prep, candidates, 0.05 * time_limit_s, seed)
        stage1 = solve_weight_large(
            prep, candidates, start, bound.value, _budget(deadline, 0.3 * time_limit_s), seed
        )
        stage1 = replace(stage1, charged_s=stage1.charged_s + bound.charged_s)
        stage2 = skipped_fairness(prep, stage1.placement)
    else:
        stage1 = _tightened(
            solve_weight(prep, candidates, start, 0.3 * time_limit_s, seed), prep, candidates, seed
        )
        budget = _budget(deadline, 0.15 * time_limit_s)
        stage2 = solve_fairness(prep, candidates, stage1.placement, budget, seed)
    tables_reserve = TABLES_SHARE * time_limit_s
    # MOVING_ALLOWED: placements kept by stages 1-2 stay put from here on (moves rank above breaks)
    kept = {m: target for m, target in prep.preferred.items() if stage2.placement.get(m) == target[0]}
    stage3 = minimise_breaks(
        replace(prep, locked={**prep.locked, **kept}),
        stage2.placement,
        instance.soft_break_cap,
        _budget(deadline, deadline - time.monotonic() - tables_reserve),
        work_clock(time_limit_s, stage1.charged_s + stage2.charged_s),
        seed,
        large,
    )
    tables_began = time.monotonic()
    placements, homeless = assign_tables(prep, within_day_quotas(prep, stage3.placement))
    placements, homeless = reinsert(prep, placements, homeless)
    placements, unfair = enforce_cap(prep, placements)
    if unfair and (baseline := better_fair_baseline(instance, placements)) is not None:
        placements, unfair = baseline, []
    placed = {p.meeting: p.slot for p in placements}
    tables_report = StageReport(
        "tables",
        StageStatus.HEURISTIC,
        float(dedicated_misses(prep, placements) * (len(placements) + 1) + table_changes(prep, placements)),
        None,
        time.monotonic() - tables_began,
    )
    loads = placement_loads(prep, placed)
    capped = Unscheduled(0, UnscheduledReason.BREAKS_FAIRNESS, "a participant's breaks would pass the cap")
    unscheduled: list[Unscheduled] = [
        replace(capped, meeting=m.index)
        if m.index in unfair
        else hopeless.get(m.index) or explain(prep, m.index, placed, set(homeless), loads)
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


def _tightened(stage1: StageOutcome, prep: Prepared, candidates: list[int], seed: int) -> StageOutcome:
    """The MIP's bound, or the aggregated one when that is smaller (never below the answer)."""
    if stage1.report.status == StageStatus.OPTIMAL:
        return stage1
    weight = stage1.report.objective or 0.0
    aggregated = aggregated_bound(prep, candidates, 10.0, seed)
    bound = max(weight, min(stage1.upper_bound, aggregated.value))
    return replace(
        stage1,
        report=replace(stage1.report, bound=bound),
        upper_bound=bound,
        charged_s=stage1.charged_s + aggregated.charged_s,
    )


def work_clock(time_limit_s: float, charged_s: float) -> int:
    """The breaks stage's time in whole seconds, from which its work budgets are drawn: the
    nominal time left after the tables' reserve, less what the earlier stages are charged. The
    charge is not their measured time, which varies from run to run by more than a second on
    large events (and would change every budget after it), but a reproducible estimate that is
    meant to exceed it (see MipResult.charged_s)."""
    nominal = math.floor((1.0 - DEADLINE_SLACK - TABLES_SHARE) * time_limit_s + 1e-9)
    return max(1, nominal - math.ceil(charged_s - 1e-9))


def _budget(deadline: float, wanted: float) -> float:
    return max(0.1, min(wanted, deadline - time.monotonic()))
