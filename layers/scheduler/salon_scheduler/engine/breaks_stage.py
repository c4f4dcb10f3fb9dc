"""Stage 3 driver: a short one-run MIP, annealing, the full model for a lower bound, a descent by
clause learning on events small enough for it (see breaks_sat.py), then cooler annealings restarted
from the best schedule.

For a given seed and stage time, every phase that can change the schedule is deterministic. The
annealings run on work budgets drawn from the stage's time in whole seconds, and the descent on a
conflict budget drawn the same way; the clock only guards against a machine much slower than their
nominal speeds (the descent looks at it between chunks of conflicts). The one-run MIP counts
only when it finishes (in practice it is solved or refuted at the root, or stops with nothing). The
full model stops on a time limit, so only its bound is read: its incumbent would differ from run to
run, and so would a bound read at the limit, which therefore never steers the descent. A schedule
replaces the best only when strictly better, so a phase skipped in one run (after a proof of
optimality) and run in another cannot change the result."""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass

from ..instance import StageReport, StageStatus
from .anneal import WORK_PER_SECOND, Annealer
from .breaks import UNFAIR_PENALTY, build_breaks_model, count_breaks, fewest_breaks
from .breaks_sat import BreaksSat, Verdict, sat_applies
from .prepare import Prepared

ANNEAL_SHARE = 0.45
SAT_ANNEAL_SHARE = 0.4  # the first annealing's share when the descent follows it
SAT_SHARE = 0.3
SAT_REHEAT_SHARE = 0.025
CONFLICTS_PER_SECOND = 8_000  # 4,400 to 10,400 a second measured on the JAIR instances
SAT_CHUNK = 4_000  # conflicts between two looks at the clock
FLOOR_GAP = 2  # the descent also asks for the lower bound itself once the best is this close to it
REHEATS = 4  # cooler annealings restarted from the best schedule, each with its own seed
REHEAT_SHARE = 0.075
HOT = 0.6
REHEAT_HOT = 0.25
FULL_SHARE = 0.07
ONE_RUN_SHARE = 0.08
GUARD_FACTOR = 1.5
# Past the large-event threshold a work unit takes longer: the table checks over hundreds of company
# groups, which the units do not count, are a quarter of the annealer's time on XL; it gets through
# 178,000 to 220,000 units a second there.
LARGE_WORK_PER_SECOND = 170_000


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
    """The sum of each person's fewest breaks (see breaks.fewest_breaks), on one day or many."""
    return sum(own_breaks_bounds(prep, scheduled).values())


def own_breaks_bounds(prep: Prepared, scheduled: frozenset[int]) -> dict[int, int]:
    """Each person with two scheduled meetings or more -> the fewest breaks they can have."""
    bounds: dict[int, int] = {}
    for person, meetings in enumerate(prep.meetings_of_person):
        mine = [m for m in meetings if m in scheduled]
        if len(mine) > 1:
            bounds[person] = fewest_breaks(prep, mine)
    return bounds


class BreaksSearch:
    def __init__(self, prep: Prepared, placement: dict[int, int], cap: int, seed: int) -> None:
        self.prep = prep
        self.cap = cap
        self.scheduled = frozenset(placement)
        self.best = dict(placement)
        self.best_cost = self.cost(placement)
        self.seed = seed
        self.lower = breaks_lower_bound(prep, self.scheduled)

    def cost(self, placement: dict[int, int]) -> float:
        breaks = count_breaks(self.prep, placement)
        return sum(breaks) + UNFAIR_PENALTY * unfairness(self.prep, self.scheduled, breaks, self.cap)

    def solve_one_run(self, time_limit_s: float) -> StageStatus:
        """The full model with everyone held to their own bound: on one day, everyone who could
        have a single run to one; on several, every person's breaks to their fewest_breaks. A
        refutation proves that someone has more, so the total is at least one above the sum of
        the bounds; a solution reaches that sum, so it is optimal."""
        model = build_breaks_model(self.prep, self.scheduled, self.prep.locked_slots, self.cap)
        for column in model.general_mode.values():
            model.slots.mip.upper[column] = 0.0
        bounds = own_breaks_bounds(self.prep, self.scheduled)
        for person, (index, value, offset) in model.day_breaks.items():
            model.slots.mip.row(index, value, -1e9, bounds[person] + offset)
        result = model.slots.mip.solve(time_limit_s, self.seed)
        if result.status == StageStatus.OPTIMAL and result.values is not None:
            self.offer(model.slots.read(result.values))
        return result.status

    def full_bound(self, time_limit_s: float) -> tuple[StageStatus, float | None]:
        model = build_breaks_model(self.prep, self.scheduled, self.prep.locked_slots, self.cap)
        result = model.slots.mip.solve(time_limit_s, self.seed)
        return result.status, result.bound  # the objective is the total of breaks (plus priced unfairness)

    def offer(self, candidate: dict[int, int]) -> None:
        if len(candidate) == len(self.scheduled) and (cost := self.cost(candidate)) < self.best_cost:
            self.best, self.best_cost = candidate, cost


def minimise_breaks(
    prep: Prepared,
    placement: dict[int, int],
    cap: int,
    time_limit_s: float,
    clock_s: int,
    seed: int,
    large: bool,
) -> BreaksOutcome:
    """1. the model with everyone who can have one run forced to one run (often solves or refutes
    "no break" in seconds); 2. annealing, the main search; 3. the full model for a bound; 4. on
    events small enough, the clause-learning descent; 5. cooler annealings restarted from the best.
    The annealings' and the descent's budgets are shares of `clock_s`, a whole number of seconds
    that must not depend on how long earlier stages took to the millisecond (see
    engine.work_clock); `time_limit_s` is the wall-clock limit.

    On a `large` event (see engine.large.is_large) both models are skipped: on XL neither finishes
    within its time (so its result would depend on the clock) and the full one alone holds a
    gigabyte. The first annealing takes their time, and every annealing is planned at
    LARGE_WORK_PER_SECOND, so that all of them end on their budgets rather than on the deadline."""
    began = time.monotonic()
    deadline = began + time_limit_s
    search = BreaksSearch(prep, placement, cap, seed)
    lower = float(search.lower)
    status = StageStatus.HEURISTIC
    one_run_limit = _left(deadline, ONE_RUN_SHARE * time_limit_s)
    if (
        not large
        and search.best_cost > lower + 1e-6
        and search.solve_one_run(one_run_limit) == StageStatus.INFEASIBLE
    ):
        lower += 1  # someone who could have a single run cannot: at least one more break
    descent = sat_applies(prep, placement)
    rate = LARGE_WORK_PER_SECOND if large else WORK_PER_SECOND
    first_share = SAT_ANNEAL_SHARE if descent else ANNEAL_SHARE
    if large:
        first_share += ONE_RUN_SHARE + FULL_SHARE
    _anneal(search, lower, cap, seed, first_share * clock_s, HOT, deadline, rate)
    # A bound the full model leaves at its time limit depends on the clock: it may end the search
    # (past a proof nothing strictly better exists, so stopping changes nothing) and goes in the
    # report, but steers the descent's queries only when the model was solved.
    proven = lower
    if not large and search.best_cost > lower + 1e-6:
        status, bound = search.full_bound(_left(deadline, FULL_SHARE * time_limit_s))
        # the model prices unfairness; its bound only speaks about breaks when it stays below that price
        if bound is not None and bound < UNFAIR_PENALTY:
            proven = max(lower, math.ceil(bound - 1e-6))
            if status == StageStatus.OPTIMAL:
                lower = proven
    reheat_seconds = REHEAT_SHARE * clock_s
    if descent and search.best_cost > proven + 1e-6:
        unused = _descend(search, lower, SAT_SHARE * clock_s, deadline)
        reheat_seconds = SAT_REHEAT_SHARE * clock_s + unused / REHEATS
    for reheat in range(1, REHEATS + 1):
        _anneal(search, proven, cap, seed + reheat, reheat_seconds, REHEAT_HOT, deadline, rate)
    objective = float(sum(count_breaks(prep, search.best)))
    proved = search.best_cost <= proven + 1e-6
    final = StageStatus.OPTIMAL if proved else StageStatus.FEASIBLE_AT_LIMIT
    if status == StageStatus.INFEASIBLE:
        final = StageStatus.HEURISTIC
    report = StageReport("breaks", final, objective, proven, time.monotonic() - began)
    return BreaksOutcome(search.best, report)


def _anneal(
    search: BreaksSearch,
    lower: float,
    cap: int,
    seed: int,
    seconds: float,
    hot: float,
    deadline: float,
    rate: int,
) -> None:
    """`seconds` at `rate` work units a second set the work budget; the wall-clock guard is half
    as long again, so a machine somewhat slower than `rate` still completes the same annealing."""
    if search.best_cost > lower + 1e-6:
        annealer = Annealer(search.prep, search.best, cap, seed, UNFAIR_PENALTY)
        guard = _left(deadline, GUARD_FACTOR * seconds)
        annealer.run(time.monotonic() + guard, work=int(rate * seconds), hot=hot)
        search.offer(annealer.best)


def _descend(search: BreaksSearch, lower: float, seconds: float, deadline: float) -> float:
    """Chunks of conflicts that alternate between asking for the lower bound itself and for one
    break fewer than the best; the learned clauses serve both. Stops when the two meet or the
    conflict budget runs out; returns the budget left, in seconds."""
    if search.best_cost <= lower + 1e-6:
        return seconds
    budget = int(CONFLICTS_PER_SECOND * seconds)
    model = BreaksSat(search.prep, search.best, search.cap)
    floor = math.ceil(lower - 1e-6)
    ceiling = sum(count_breaks(search.prep, search.best)) - 1
    try:
        for turn in itertools.count():
            if budget <= 0 or floor > ceiling or time.monotonic() >= deadline:
                break
            target = floor if turn % 2 == 0 and ceiling - floor <= FLOOR_GAP else ceiling
            answer = model.below(target, min(SAT_CHUNK, budget))
            budget -= max(1, answer.conflicts)
            if answer.verdict == Verdict.NONE:
                floor = target + 1
            elif answer.verdict == Verdict.FOUND and answer.placement is not None:
                search.offer(answer.placement)
                ceiling = sum(count_breaks(search.prep, answer.placement)) - 1
    finally:
        model.close()
    return max(0, budget) / CONFLICTS_PER_SECOND


def _left(deadline: float, wanted: float) -> float:
    """A phase's budget, never past the stage deadline (HiGHS may overrun a little)."""
    return max(0.05, min(wanted, deadline - time.monotonic()))
