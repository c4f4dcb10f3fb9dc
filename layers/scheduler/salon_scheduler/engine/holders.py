"""Break-holder probes: exact searches for a schedule with fewer breaks than the best known, in
which one named person may have breaks and everyone else keeps a single run.

When the optimum has few breaks, few people hold them. Forbidding breaks to everyone but one person
turns the full model into one HiGHS often settles in seconds: it either proves the guess impossible
or finds the schedule. The guesses come from the annealer, which reports who holds breaks in the
states it visits near its best; the people seen most often are probed first."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable

from ..instance import StageStatus
from .breaks import build_breaks_model
from .prepare import Prepared

MIN_PROBE_S = 1.0  # a shorter probe rarely settles anything


class HolderBoard:
    """Who held breaks in near-best annealing states; written by the annealer, read by the probes
    on another thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: Counter[int] = Counter()

    def note(self, persons: Iterable[int]) -> None:
        with self._lock:
            self._seen.update(persons)

    def most_seen(self, tried: set[int]) -> int | None:
        with self._lock:
            left = [p for p in self._seen if p not in tried]
            return min(left, key=lambda p: (-self._seen[p], p)) if left else None


def probe_break_holders(
    prep: Prepared,
    scheduled: frozenset[int],
    cap: int,
    board: HolderBoard,
    lower: float,
    best_breaks: Callable[[], int],
    offer: Callable[[dict[int, int]], object],
    deadline: float,
    probe_limit_s: float,
    seed: int,
) -> None:
    """Probe the most-seen untried holder until the deadline, the board runs dry or the best known
    schedule meets the lower bound. Every probe asks for fewer breaks than the best known at its
    start."""
    if len(prep.day_slots()) != 1:
        return  # one-run modes exist in the single-day model only
    model = build_breaks_model(prep, scheduled, prep.locked_slots, cap)
    mip = model.slots.mip
    priced = [i for i, c in enumerate(mip.cost) if c != 0.0]
    mip.row(priced, [mip.cost[i] for i in priced], -1e9, 0.0)
    target_row = len(mip.row_upper) - 1
    tried: set[int] = set()
    while (left := deadline - time.monotonic()) > MIN_PROBE_S and best_breaks() > lower + 1e-6:
        person = board.most_seen(tried)
        if person is None:
            return
        tried.add(person)
        if person not in model.not_one_run:
            continue
        for other, columns in model.not_one_run.items():
            for column in columns:
                mip.upper[column] = 1.0 if other == person else 0.0
        mip.row_upper[target_row] = float(best_breaks() - 1)
        result = mip.solve(min(probe_limit_s, left), seed)
        if result.values is not None and result.status != StageStatus.INFEASIBLE:
            offer(model.slots.read(result.values))
