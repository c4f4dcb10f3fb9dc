"""Stage 1 and 2 for instances too large for one slot-indexed MIP.

The start is the better of the engine's constructive placement and the round-robin baseline (which
spreads meetings across companies, so its smallest share is good), completed by insertion. Then a
large-neighbourhood search re-solves a few slots at a time as a small MIP, everything else fixed,
never letting any person's share fall below the starting smallest share."""

from __future__ import annotations

import math
import random
import time

from ..greedy import greedy
from ..instance import StageReport, StageStatus
from .mip import Mip
from .prepare import Prepared
from .slot_model import build_slot_model
from .slot_state import SlotState
from .tables import assign_tables
from .weight import StageOutcome, total_weight

LARGE_SIZE = 150_000  # candidate meetings x slots above which the monolithic MIP is skipped
WINDOW = 3  # slots per neighbourhood
WINDOW_SECONDS = 1.2  # one window modelled, solved and seated: about 1 s on XL (measured)
SUB_LIMIT_S = 8.0  # a guard: XL's windows are solved to optimality in under a second
SEARCH_SHARE = 0.8  # of the stage's time, planned for the search; the rest covers the starts


def is_large(prep: Prepared, candidates: list[int]) -> bool:
    return len(candidates) * prep.n_slots > LARGE_SIZE


def smallest_share(prep: Prepared, placement: dict[int, int]) -> float:
    """Placed over requested meetings, the smallest over persons with requests (as the validator)."""
    shares = [
        sum(1 for m in meetings if m in placement) / len(meetings)
        for meetings in prep.meetings_of_person
        if meetings
    ]
    return min(shares, default=1.0)


def baseline_placement(prep: Prepared, candidates: list[int]) -> dict[int, int]:
    """The round-robin baseline's slots, kept only where they agree with the engine's model."""
    chosen = set(candidates)
    state = SlotState(prep)
    placement: dict[int, int] = {}
    for m, t in prep.locked_slots.items():
        state.place(m, t, prep.locked[m][1])
        placement[m] = t
    for p in greedy(prep.instance).placements:
        m, t = p.meeting, p.slot
        if m in placement or m not in chosen or t not in prep.allowed[m]:
            continue
        meeting = prep.instance.meetings[m]
        if any(t in state.busy[q] for q in meeting.participants) or p.table not in state.free_tables[t]:
            continue
        state.place(m, t, p.table)
        placement[m] = t
    return _insert(prep, candidates, placement)


def _insert(prep: Prepared, candidates: list[int], placement: dict[int, int]) -> dict[int, int]:
    """Heaviest first, every unplaced meeting without precedences takes its first feasible slot."""
    ordered = {m for pair in prep.instance.precedences for m in pair}
    state = SlotState(prep)
    for m, t in placement.items():
        state.place(m, t, prep.locked[m][1] if m in prep.locked else None)
    result = dict(placement)
    weight = {m: prep.instance.meetings[m].weight for m in candidates}
    for m in sorted(candidates, key=lambda m: (-weight[m], len(prep.allowed[m]), m)):
        if m in result or m in ordered or m in prep.locked:
            continue
        for t in prep.allowed[m]:
            if state.can_place(m, t):
                state.place(m, t)
                result[m] = t
                break
    return result


def solve_weight_large(
    prep: Prepared, candidates: list[int], start: dict[int, int], bound: float, time_limit_s: float, seed: int
) -> StageOutcome:
    began = time.monotonic()
    baseline = baseline_placement(prep, candidates)
    best = baseline
    completed = _insert(prep, candidates, start)
    if total_weight(prep, completed) >= total_weight(prep, baseline) and smallest_share(
        prep, completed
    ) >= smallest_share(prep, baseline):
        best = completed
    best = improve(prep, candidates, best, SEARCH_SHARE * time_limit_s, began + time_limit_s, seed)
    weight = float(total_weight(prep, best))
    report = StageReport("weight", StageStatus.HEURISTIC, weight, bound, time.monotonic() - began)
    return StageOutcome(best, report, bound, time_limit_s)


def improve(
    prep: Prepared,
    candidates: list[int],
    placement: dict[int, int],
    budget_s: float,
    deadline: float,
    seed: int,
) -> dict[int, int]:
    """LNS over windows of a few slots; a move is kept when it adds weight. The search re-solves
    a number of windows drawn from `budget_s`, not as many as the clock allows, so a seed repeats
    its schedule; the deadline only guards against a machine much slower than WINDOW_SECONDS."""
    rng = random.Random(seed)
    floor = smallest_share(prep, placement)
    best = dict(placement)
    for _ in range(int(budget_s / WINDOW_SECONDS)):
        left = deadline - time.monotonic()
        if left < 1.0:
            break
        window = frozenset(rng.sample(range(prep.n_slots), min(WINDOW, prep.n_slots)))
        candidate = _reoptimise(prep, candidates, best, window, floor, min(SUB_LIMIT_S, left), seed)
        if candidate is not None and total_weight(prep, candidate) > total_weight(prep, best):
            best = candidate
    return best


def _reoptimise(
    prep: Prepared,
    candidates: list[int],
    placement: dict[int, int],
    window: frozenset[int],
    floor: float,
    time_limit_s: float,
    seed: int,
) -> dict[int, int] | None:
    """The window re-solved with everything else fixed, if every meeting in it gets a table."""
    instance = prep.instance
    fixed = set(prep.locked) | set(prep.preferred) | {m for pair in instance.precedences for m in pair}
    free = [
        m
        for m in candidates
        if m not in fixed
        and (placement.get(m) in window or (m not in placement and set(prep.allowed[m]) & window))
    ]
    free_set = set(free)
    outside = {m: t for m, t in placement.items() if m not in free_set}
    busy: list[set[int]] = [set() for _ in range(prep.n_persons)]
    for m, t in outside.items():
        for person in instance.meetings[m].participants:
            busy[person].add(t)
    options: dict[int, tuple[int, ...]] = {}
    for m in free:
        people = instance.meetings[m].participants
        options[m] = tuple(
            t for t in prep.allowed[m] if t in window and all(t not in busy[p] for p in people)
        )
    free = [m for m in free if options[m]]
    mip = Mip(maximize=True)
    costs = {m: float(instance.meetings[m].weight) for m in free}
    must = frozenset(m for m in free if instance.meetings[m].required and m in placement)
    model = build_slot_model(prep, mip, free, must, {}, costs, outside, options)
    _residual_rows(prep, model.slots_of, outside, floor, mip)
    result = mip.solve(time_limit_s, seed, start=model.start_vector(placement))
    if result.values is None:
        return None
    merged = dict(outside)
    merged.update(model.read(result.values))
    _, homeless = assign_tables(prep, {m: t for m, t in merged.items() if t in window})
    return None if homeless else merged


def _residual_rows(
    prep: Prepared,
    slots_of: dict[int, list[tuple[int, int]]],
    outside: dict[int, int],
    floor: float,
    mip: Mip,
) -> None:
    """Quotas net of the fixed meetings, and each person's share kept at or above `floor`."""
    instance = prep.instance
    for person, meetings in enumerate(prep.meetings_of_person):
        index = [v for m in meetings for _, v in slots_of.get(m, [])]
        if not index:
            continue
        held = sum(1 for m in meetings if m in outside)
        quota = instance.max_meetings.get(person)
        upper = 1e18 if quota is None else float(quota - held)
        lower = float(max(0, math.ceil(floor * len(meetings) - 1e-9) - held))
        if lower > 0 or upper < len(index):
            mip.row(index, [1.0] * len(index), lower, upper)
    quotas = instance.company_max_meetings
    columns: dict[int, list[int]] = {company: [] for company in quotas}
    held_by: dict[int, int] = dict.fromkeys(quotas, 0)
    for m, pairs in slots_of.items():
        for company in set(instance.meetings[m].companies):
            if company in columns:
                columns[company].extend(v for _, v in pairs)
    for m in outside:
        for company in set(instance.meetings[m].companies):
            if company in held_by:
                held_by[company] += 1
    for company, index in columns.items():
        if index:
            mip.row(index, [1.0] * len(index), -1.0, float(quotas[company] - held_by[company]))
