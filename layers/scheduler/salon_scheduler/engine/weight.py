"""Stage 1 (total weight, required meetings, fewest moves of existing placements) and stage 2
(max-min share of requests met, then min_meetings shortfall), both without tables."""

from __future__ import annotations

from dataclasses import dataclass

from ..instance import StageReport, StageStatus
from .mip import Mip, MipResult
from .prepare import Prepared, required_order_options
from .slot_model import SlotModel, build_slot_model


@dataclass(frozen=True)
class StageOutcome:
    placement: dict[int, int]  # meeting -> slot
    report: StageReport
    upper_bound: float
    charged_s: float  # the stage's time as the later stages' budgets count it (see MipResult.charged_s)


def total_weight(prep: Prepared, placement: dict[int, int]) -> int:
    return sum(prep.instance.meetings[m].weight for m in placement)


def keep_count(prep: Prepared, placement: dict[int, int]) -> int:
    return sum(1 for m, (t, _) in prep.preferred.items() if placement.get(m) == t)


def solve_weight(
    prep: Prepared, candidates: list[int], start: dict[int, int], time_limit_s: float, seed: int
) -> StageOutcome:
    """Max weight with every placeable required meeting placed; moves are the tie-breaker.

    When the required meetings cannot all be placed together, they get a dominating bonus instead,
    so the answer places as many as possible and the rest are diagnosed by the caller."""
    charged = 0.0
    if _everything_might_fit(prep, candidates):
        # placing every candidate is a feasibility problem, far easier for the solver than the
        # maximisation, and when it succeeds it is optimal outright
        result, model = _weight_mip(
            prep, candidates, frozenset(candidates), {}, 0.5 * time_limit_s, seed, 0.0
        )
        if result.values is not None:
            placement = model.read(result.values)
            weight = float(total_weight(prep, placement))
            report = StageReport("weight", StageStatus.OPTIMAL, weight, weight, result.seconds)
            return StageOutcome(placement, report, weight, result.charged_s)
        charged += result.charged_s
        time_limit_s *= 0.5
    required = frozenset(m for m in candidates if prep.instance.meetings[m].required)
    result, model = _weight_mip(prep, candidates, required, start, time_limit_s, seed, bonus=0.0)
    charged += result.charged_s
    used_bonus = result.status == StageStatus.INFEASIBLE or (result.values is None and bool(required))
    if used_bonus:
        bonus = float(sum(prep.instance.meetings[m].weight for m in candidates) + 1)
        result, model = _weight_mip(prep, candidates, frozenset(), start, time_limit_s, seed, bonus)
        charged += result.charged_s
    placement = model.read(result.values) if result.values is not None else dict(start)
    if total_weight(prep, start) > total_weight(prep, placement) and _required_count(prep, start) >= (
        _required_count(prep, placement)
    ):
        placement = dict(start)
    weight = float(total_weight(prep, placement))
    bound = _weight_bound(prep, candidates, result, used_bonus)
    status = result.status if result.values is not None else StageStatus.HEURISTIC
    report = StageReport("weight", status, weight, bound, result.seconds)
    return StageOutcome(placement, report, bound, charged)


def _everything_might_fit(prep: Prepared, candidates: list[int]) -> bool:
    """Cheap necessary conditions for placing every candidate: quotas and per-person slots."""
    instance = prep.instance
    chosen = set(candidates)
    for person, meetings in enumerate(prep.meetings_of_person):
        mine = [m for m in meetings if m in chosen]
        usable = {t for m in mine for t in prep.allowed[m]}
        if len(mine) > min(len(usable), instance.max_meetings.get(person, len(mine))):
            return False
    for company, quota in instance.company_max_meetings.items():
        if sum(1 for m in candidates if company in instance.meetings[m].companies) > quota:
            return False
    return len(candidates) <= prep.n_slots * len(instance.tables)


def _required_count(prep: Prepared, placement: dict[int, int]) -> int:
    return sum(1 for m in placement if prep.instance.meetings[m].required)


def _weight_bound(prep: Prepared, candidates: list[int], result: MipResult, used_bonus: bool) -> float:
    """The objective is weight * scale + kept placements (< scale); with the required-meeting bonus
    it mixes units, so only the trivial bound (all candidates placed) is valid then."""
    trivial = float(sum(prep.instance.meetings[m].weight for m in candidates))
    if result.bound is None or used_bonus:
        return trivial
    scale = len(prep.preferred) + 1.0
    return min(trivial, float(int((result.bound + 1e-6) // scale)))


def _weight_mip(
    prep: Prepared,
    candidates: list[int],
    must: frozenset[int],
    start: dict[int, int],
    time_limit_s: float,
    seed: int,
    bonus: float,
) -> tuple[MipResult, SlotModel]:
    instance = prep.instance
    scale = len(prep.preferred) + 1.0
    every_required = all(m in must for m in candidates if instance.meetings[m].required)
    options = required_order_options(prep, candidates) if every_required else {}
    costs = {
        m: instance.meetings[m].weight * scale + (bonus * scale if instance.meetings[m].required else 0.0)
        for m in candidates
    }
    mip = Mip(maximize=True)
    model = build_slot_model(prep, mip, candidates, must, prep.locked_slots, costs, options=options)
    for m, (t, _) in prep.preferred.items():
        v = model.x.get((m, t))
        if v is not None:
            mip.cost[v] += 1.0
    result = mip.solve(time_limit_s, seed, start=model.start_vector(start))
    return result, model


def solve_fairness(
    prep: Prepared, candidates: list[int], stage1: dict[int, int], time_limit_s: float, seed: int
) -> StageOutcome:
    """Max-min share of each person's requests, then least min_meetings shortfall; weight, placed
    required meetings and kept placements may not get worse."""
    instance = prep.instance
    # shares count only requests that could be placed at all, else one hopeless request pins s at 0
    possible = set(candidates)
    requested = [sum(1 for m in ms if m in possible) for ms in prep.meetings_of_person]
    shares = _shares(prep, stage1, possible)
    short = _shortfall(prep, stage1)
    everyone_full = all(shares[p] >= 1.0 for p in range(prep.n_persons) if requested[p] > 0)
    if everyone_full and short == 0:
        value = min((s for p, s in enumerate(shares) if requested[p] > 0), default=1.0)
        return StageOutcome(stage1, StageReport("fairness", StageStatus.OPTIMAL, value, value, 0.0), 0.0, 0.0)
    must = frozenset(m for m in stage1 if instance.meetings[m].required)
    mip = Mip(maximize=True)
    model = build_slot_model(prep, mip, candidates, must, prep.locked_slots)
    weight_index = [v for (m, _), v in model.x.items()]
    weight_value = [float(instance.meetings[m].weight) for (m, _) in model.x]
    mip.row(weight_index, weight_value, float(total_weight(prep, stage1)) - 1e-6, 1e18)
    kept = keep_count(prep, stage1)
    if kept:
        keep_vars = [v for m, (t, _) in prep.preferred.items() if (v := model.x.get((m, t))) is not None]
        mip.row(keep_vars, [1.0] * len(keep_vars), float(kept), 1e18)
    largest = max(1, *requested)
    # a share difference is at least 1/largest^2, so this weight makes the share lexicographic first
    share_weight = (sum(instance.min_meetings.values()) + 1.0) * largest * largest
    share = mip.var(lower=0.0, upper=1.0, cost=share_weight, integer=False)
    for person, meetings in enumerate(prep.meetings_of_person):
        if requested[person] == 0:
            continue
        index = [v for m in meetings if m in possible for _, v in model.slots_of.get(m, [])]
        mip.row([*index, share], [1.0] * len(index) + [-float(requested[person])], 0.0, 1e18)
    for person, wished in instance.min_meetings.items():
        index = [v for m in prep.meetings_of_person[person] for _, v in model.slots_of.get(m, [])]
        gap = mip.var(lower=0.0, upper=float(wished), cost=-1.0, integer=False)
        mip.row([*index, gap], [1.0] * len(index) + [1.0], float(wished), 1e18)
    start = model.start_vector(stage1)
    start[share] = min((s for p, s in enumerate(shares) if requested[p] > 0), default=0.0)
    result = mip.solve(time_limit_s, seed, start=start)
    placement = model.read(result.values) if result.values is not None else stage1
    new_shares = _shares(prep, placement, possible)
    value = min((s for p, s in enumerate(new_shares) if requested[p] > 0), default=1.0)
    wished_total = float(sum(instance.min_meetings.values()))
    bound = None if result.bound is None else min(1.0, (result.bound + wished_total) / share_weight)
    status = result.status if result.values is not None else StageStatus.HEURISTIC
    report = StageReport("fairness", status, value, bound, result.seconds)
    return StageOutcome(placement, report, 0.0, result.charged_s)


def _shares(prep: Prepared, placement: dict[int, int], possible: set[int]) -> list[float]:
    result: list[float] = []
    for meetings in prep.meetings_of_person:
        mine = [m for m in meetings if m in possible]
        result.append(sum(1 for m in mine if m in placement) / len(mine) if mine else 1.0)
    return result


def _shortfall(prep: Prepared, placement: dict[int, int]) -> int:
    return sum(
        max(0, wished - sum(1 for m in prep.meetings_of_person[p] if m in placement))
        for p, wished in prep.instance.min_meetings.items()
    )


def skipped_fairness(prep: Prepared, placement: dict[int, int]) -> StageOutcome:
    """Stage 2 left out (instance too large for its model): the stage 1 placement as it is."""
    requested = [len(ms) for ms in prep.meetings_of_person]
    shares = [sum(1 for m in ms if m in placement) / len(ms) for ms in prep.meetings_of_person if ms]
    value = min(shares, default=1.0) if any(requested) else 1.0
    return StageOutcome(placement, StageReport("fairness", StageStatus.SKIPPED, value, None, 0.0), 0.0, 0.0)
