"""Stage 3 driver: a short one-run MIP, annealing (the main search, see anneal.py), the full model
for a lower bound, cooler annealing restarts, then large-neighbourhood search with small MIPs.

Each LNS iteration frees the meetings of a few persons (one with many breaks and people who share
meetings with them) or of a window of consecutive slots, pins everything else and re-solves the
block-start model with the incumbent as warm start. Iterations are bounded by count as well as by
time, and every choice comes from a seeded generator. The MIP phases stop on time limits, so a run
is reproducible only as far as they finish within them; the annealing runs on a work clock."""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass

from ..instance import StageReport, StageStatus
from .anneal import WORK_PER_SECOND, Annealer
from .breaks import UNFAIR_PENALTY, build_breaks_model, count_breaks, run_lower_bound
from .prepare import Prepared

MAX_ITERATIONS = 4000
SUB_NODE_LIMIT = 30
MIN_BUDGET = 8
SHIFT_EVERY = 10
ANNEAL_SHARE = 0.5
REHEATS = 4  # cooler annealings restarted from the best schedule, each with its own seed
REHEAT_SHARE = 0.1
HOT = 0.6
REHEAT_HOT = 0.25
FULL_SHARE = 0.07
ONE_RUN_SHARE = 0.08
MAX_BUDGET = 120
GUARD_FACTOR = 1.5


@dataclass(frozen=True)
class BreaksOutcome:
    placement: dict[int, int]
    report: StageReport


def unfairness(prep: Prepared, scheduled: frozenset[int], breaks: list[int], cap: int) -> int:
    """The model's excess over the fairness cap (see breaks._add_fairness_rows)."""
    active = [sum(1 for m in ms if m in scheduled) for ms in prep.meetings_of_person]
    if any(k <= 1 for k in active):
        return sum(max(0, b - cap) for b in breaks)
    return max(0, max(breaks, default=0) - min(breaks, default=0) - cap)


def breaks_lower_bound(prep: Prepared, scheduled: frozenset[int]) -> int:
    if len(prep.day_slots()) != 1:
        return 0
    total = 0
    for person, meetings in enumerate(prep.meetings_of_person):
        mine = [m for m in meetings if m in scheduled]
        if len(mine) > 1:
            total += run_lower_bound(prep, person, mine) - 1
    return total


class BreaksSearch:
    def __init__(self, prep: Prepared, placement: dict[int, int], cap: int, seed: int) -> None:
        self.prep = prep
        self.cap = cap
        self.scheduled = frozenset(placement)
        self.best = dict(placement)
        self.best_cost = self.cost(placement)
        self.rng = random.Random(seed)
        self.seed = seed
        self.lower = breaks_lower_bound(prep, self.scheduled)
        self.partners: list[set[int]] = [set() for _ in range(prep.n_persons)]
        for m in self.scheduled:
            people = prep.instance.meetings[m].participants
            for p in people:
                self.partners[p].update(q for q in people if q != p)

    def cost(self, placement: dict[int, int]) -> float:
        breaks = count_breaks(self.prep, placement)
        return sum(breaks) + UNFAIR_PENALTY * unfairness(self.prep, self.scheduled, breaks, self.cap)

    def solve_full(self, time_limit_s: float, one_run: bool = False) -> tuple[StageStatus, float | None]:
        model = build_breaks_model(self.prep, self.scheduled, self.prep.locked_slots, self.cap)
        if one_run:
            for columns in model.not_one_run.values():
                for column in columns:
                    model.slots.mip.upper[column] = 0.0
            start = None
        else:
            start = model.slots.start_vector(self.best)
        result = model.slots.mip.solve(time_limit_s, self.seed, start=start)
        self.offer(model.slots.read(result.values) if result.values is not None else None)
        if result.bound is None or one_run:
            return result.status, None
        return result.status, result.bound - model.objective_offset

    def offer(self, candidate: dict[int, int] | None) -> bool:
        if candidate is None or len(candidate) != len(self.scheduled):
            return False
        cost = self.cost(candidate)
        if cost <= self.best_cost:
            improved = cost < self.best_cost
            self.best, self.best_cost = candidate, cost
            return improved
        return False

    def _merge(self, partial: dict[int, int]) -> dict[int, int]:
        merged = dict(self.best)
        merged.update(partial)
        return merged

    def _shift_neighbourhood(self) -> tuple[set[int], dict[int, tuple[int, ...]]]:
        """Every meeting may move by at most `radius` slots: global, but each move is local."""
        radius = self.rng.choice((1, 1, 2))
        options: dict[int, tuple[int, ...]] = {}
        for m, t in self.best.items():
            if m in self.prep.locked:
                continue
            options[m] = tuple(s for s in self.prep.allowed[m] if abs(s - t) <= radius)
        return set(options), options

    def _neighbourhood(self, budget: int) -> set[int]:
        """About `budget` meetings: a window of consecutive slots, or the meetings of a person with
        breaks plus those of people sharing meetings with them."""
        prep = self.prep
        if self.rng.random() < 0.3:
            per_slot = max(1.0, len(self.best) / max(1, prep.n_slots))
            width = max(2, min(prep.n_slots, round(budget / per_slot)))
            first = self.rng.randrange(0, max(1, prep.n_slots - width + 1))
            window = set(range(first, first + width))
            return {m for m, t in self.best.items() if t in window}
        breaks = count_breaks(prep, self.best)
        troubled = [p for p, b in enumerate(breaks) if b > 0]
        seed_person = self.rng.choice(troubled) if troubled else self.rng.randrange(prep.n_persons)
        freed: set[int] = set()
        chosen: set[int] = set()
        frontier = [seed_person]
        while frontier and len(freed) < budget:
            person = frontier.pop()
            if person in chosen:
                continue
            chosen.add(person)
            freed.update(m for m in prep.meetings_of_person[person] if m in self.scheduled)
            extra = sorted(self.partners[person] - chosen)
            self.rng.shuffle(extra)
            frontier = extra[:3] + frontier
        return freed

    def search(self, deadline: float, lower: float) -> int:
        budget = 24
        iterations = 0
        while iterations < MAX_ITERATIONS and time.monotonic() < deadline and self.best_cost > lower + 1e-6:
            iterations += 1
            options: dict[int, tuple[int, ...]] | None = None
            if iterations % SHIFT_EVERY == 0:
                freed, options = self._shift_neighbourhood()
            else:
                freed = self._neighbourhood(budget) - set(self.prep.locked)
            if not freed:
                continue
            pinned = {m: t for m, t in self.best.items() if m not in freed}
            model = build_breaks_model(
                self.prep, self.scheduled, pinned, self.cap, focus=self.best, options=options
            )
            remaining = deadline - time.monotonic()
            result = model.slots.mip.solve(
                min(remaining, 1.0),
                self.seed + iterations,
                start=model.slots.start_vector(self.best),
                node_limit=SUB_NODE_LIMIT,
            )
            improved = self.offer(self._merge(model.slots.read(result.values)) if result.values else None)
            if result.status == StageStatus.OPTIMAL and not improved:
                budget = min(budget + 2, MAX_BUDGET)
            elif result.status != StageStatus.OPTIMAL:
                budget = max(MIN_BUDGET, budget - 4)
        return iterations


def minimise_breaks(
    prep: Prepared, placement: dict[int, int], cap: int, time_limit_s: float, seed: int
) -> BreaksOutcome:
    """1. the model with everyone who can have one run forced to one run (often solves or refutes
    "no break" in seconds); 2. annealing, the main search; 3. the full model for a bound; 4. cooler
    annealings restarted from the best; 5. LNS until time is up."""
    began = time.monotonic()
    deadline = began + time_limit_s
    search = BreaksSearch(prep, placement, cap, seed)
    lower = float(search.lower)
    status = StageStatus.HEURISTIC
    if search.best_cost > lower + 1e-6:
        one_run_status, _ = search.solve_full(_left(deadline, ONE_RUN_SHARE * time_limit_s), one_run=True)
        if one_run_status == StageStatus.INFEASIBLE:
            lower += 1  # someone who could have a single run cannot: at least one more break
    clock_s = _annealing_clock(time_limit_s)
    _anneal(search, lower, cap, seed, ANNEAL_SHARE * clock_s, HOT, deadline)
    if search.best_cost > lower + 1e-6:
        status, bound = search.solve_full(_left(deadline, FULL_SHARE * time_limit_s))
        # the model prices unfairness; its bound only speaks about breaks when it stays below that price
        if bound is not None and bound < UNFAIR_PENALTY:
            lower = max(lower, math.ceil(bound - 1e-6))
    for reheat in range(1, REHEATS + 1):
        _anneal(search, lower, cap, seed + reheat, REHEAT_SHARE * clock_s, REHEAT_HOT, deadline)
    if search.best_cost > lower + 1e-6:
        search.search(deadline, lower)
    objective = float(sum(count_breaks(prep, search.best)))
    proved = search.best_cost <= lower + 1e-6
    final = StageStatus.OPTIMAL if proved else StageStatus.FEASIBLE_AT_LIMIT
    if status == StageStatus.INFEASIBLE:
        final = StageStatus.HEURISTIC
    report = StageReport("breaks", final, objective, lower, time.monotonic() - began)
    return BreaksOutcome(search.best, report)


def _annealing_clock(stage_s: float) -> int:
    """The stage's time in whole seconds, from which the annealings' work budgets are drawn. The
    stages before this one take a few milliseconds more or less from run to run; rounding keeps
    those differences out of the budgets, so the same seed anneals the same way."""
    return max(1, math.floor(stage_s))


def _anneal(
    search: BreaksSearch, lower: float, cap: int, seed: int, seconds: float, hot: float, deadline: float
) -> None:
    """`seconds` sets the work budget; the wall-clock guard is half as long again, so a machine
    somewhat slower than WORK_PER_SECOND still completes the same annealing."""
    if search.best_cost > lower + 1e-6:
        annealer = Annealer(search.prep, search.best, cap, seed, UNFAIR_PENALTY)
        guard = _left(deadline, GUARD_FACTOR * seconds)
        annealer.run(time.monotonic() + guard, work=int(WORK_PER_SECOND * seconds), hot=hot)
        search.offer(annealer.best)


def _left(deadline: float, wanted: float) -> float:
    """A phase's budget, never past the stage deadline (HiGHS may overrun a little)."""
    return max(0.05, min(wanted, deadline - time.monotonic()))
