"""Simulated annealing over Kempe-chain moves for the breaks stage.

A move picks a meeting at slot a and a target slot b of the same day, then closes the chain:
meetings of the same people at b swap back to a, and so on. Person conflicts stay impossible by
construction; allowed slots, table capacity and precedences are checked before accepting.

Each person's busy slots are kept as a bitmask, so a person's breaks and idle slots cost a few
integer operations, and each slot's table capacity is a handful of running counts."""

from __future__ import annotations

import itertools
import math
import random
import time

from .capacity import SlotLoads
from .prepare import Prepared

WORK_PER_SECOND = 400_000  # work units (see Annealer.work) a core gets through in a second
MAX_CHAIN = 40
COMPACT_SHARE = 0.5  # proposals that move a person's end meeting into one of their holes
COMPACT_TRIES = 8
SLIDE_SHARE = 0.2  # proposals that slide a person's day by one slot
IDLE_WEIGHT = 0.05  # idle slots inside a person's day: a gradient towards closing a break
CROWD_WEIGHT = 0.02  # squared slot loads: spare tables everywhere keep later moves possible


class Annealer:
    def __init__(
        self, prep: Prepared, placement: dict[int, int], cap: int, seed: int, penalty: float
    ) -> None:
        self.prep = prep
        self.cap = cap
        self.penalty = penalty
        self.rng = random.Random(seed)
        self.slot_of = dict(placement)
        self.movable = sorted(m for m in placement if m not in prep.locked and len(prep.allowed[m]) > 1)
        self.movable_set = frozenset(self.movable)
        day = [s.day for s in prep.instance.slots]
        self.same_day_allowed = {
            m: [t for t in prep.allowed[m] if day[t] == day[placement[m]]] for m in self.movable
        }
        self.allowed = [frozenset(a) for a in prep.allowed]
        self.at: list[dict[int, int]] = [{} for _ in range(prep.n_persons)]  # person -> slot -> meeting
        self.in_slot: list[set[int]] = [set() for _ in range(prep.n_slots)]
        self.busy = [0] * prep.n_persons  # person -> bitmask of the slots they meet in
        for m, t in placement.items():
            self.in_slot[t].add(m)
            for p in prep.instance.meetings[m].participants:
                self.at[p][t] = m
                self.busy[p] |= 1 << t
        days: dict[int, int] = {}
        for slot in prep.instance.slots:
            days[slot.day] = days.get(slot.day, 0) | 1 << slot.index
        self.day_masks = list(days.values())
        self.linked = sum(1 << (t + 1) for t, nxt in enumerate(prep.next_in_day) if nxt is not None)
        self.loads = SlotLoads(prep, placement)
        self.tables = max(1, len(prep.instance.tables))
        self.before: dict[int, list[int]] = {}
        self.after: dict[int, list[int]] = {}
        for b, a in prep.instance.precedences:
            if a in placement and b in placement:
                self.after.setdefault(b, []).append(a)
                self.before.setdefault(a, []).append(b)
        self.person_cost = [self._cost_of(self.busy[p]) for p in range(prep.n_persons)]
        self.cost = sum(c for c, _ in self.person_cost)
        self.soft = sum(i for _, i in self.person_cost)
        self.work = 0  # chain links followed plus persons re-costed: a machine-independent clock
        self._relieve()
        self.best = dict(self.slot_of)
        self.best_cost = self.cost

    def _cost_of(self, busy: int) -> tuple[float, float]:
        """A person's (breaks plus priced unfairness, idle slots between meetings) for a busy mask."""
        runs = (busy & ~((busy << 1) & self.linked)).bit_count()
        breaks, idle = runs, 0
        for day in self.day_masks:
            mine = busy & day
            if mine:
                breaks -= 1
                idle += mine.bit_length() - (mine & -mine).bit_length() + 1 - mine.bit_count()
        return breaks + self.penalty * max(0, breaks - self.cap), float(idle)

    def _chain(self, m: int, a: int, b: int) -> tuple[list[int], list[int]] | None:
        meetings = self.prep.instance.meetings
        to_b: set[int] = {m}
        to_a: set[int] = set()
        queue = [(m, a)]
        while queue:
            current, origin = queue.pop()
            self.work += 1
            target = b if origin == a else a
            if target not in self.allowed[current] or current in self.prep.locked:
                return None
            for p in meetings[current].participants:
                other = self.at[p].get(target)
                if other is None:
                    continue
                group = to_a if target == b else to_b
                if other not in group:
                    group.add(other)
                    queue.append((other, target))
            if len(to_a) + len(to_b) > MAX_CHAIN:
                return None
        return sorted(to_b), sorted(to_a)

    def _ordered(self, moved: dict[int, int]) -> bool:
        if not self.before:
            return True

        def slot(x: int) -> int:
            return moved.get(x, self.slot_of[x])

        for m in moved:
            if any(slot(b) >= slot(m) for b in self.before.get(m, [])):
                return False
            if any(slot(a) <= slot(m) for a in self.after.get(m, [])):
                return False
        return True

    def _apply(self, moved: dict[int, int]) -> None:
        meetings = self.prep.instance.meetings
        for m in moved:
            old = self.slot_of[m]
            self.in_slot[old].discard(m)
            for p in meetings[m].participants:
                if self.at[p].get(old) == m:
                    del self.at[p][old]
                    self.busy[p] &= ~(1 << old)
        for m, t in moved.items():
            self.loads.move(m, self.slot_of[m], t)
            self.slot_of[m] = t
            self.in_slot[t].add(m)
            for p in meetings[m].participants:
                self.at[p][t] = m
                self.busy[p] |= 1 << t

    def _crowding_delta(self, a: int, b: int, shift: int) -> float:
        """Change of the sum of squared slot loads when `shift` meetings go from a to b."""
        load_a, load_b = len(self.in_slot[a]), len(self.in_slot[b])
        return float((load_a - shift) ** 2 + (load_b + shift) ** 2 - load_a**2 - load_b**2) / self.tables

    def _propose(self) -> tuple[int, int] | None:
        """A random meeting and one of its allowed slots, or (half the time) a compaction: an end
        meeting of a person with idle slots moves into a hole inside that person's day."""
        draw = self.rng.random()
        if draw < COMPACT_SHARE:
            for _ in range(COMPACT_TRIES):
                p = self.rng.randrange(self.prep.n_persons)
                if self.person_cost[p][1] > 0:
                    return self._compaction(p)
            return None
        if draw < COMPACT_SHARE + SLIDE_SHARE:
            return self._slide(self.rng.randrange(self.prep.n_persons))
        m = self.movable[self.rng.randrange(len(self.movable))]
        options = self.same_day_allowed[m]
        return m, options[self.rng.randrange(len(options))]

    def _slide(self, p: int) -> tuple[int, int] | None:
        """One end meeting of a person's day moves just past the other end: the run slides by one."""
        busy = self.busy[p]
        if not busy:
            return None
        low, high = (busy & -busy).bit_length() - 1, busy.bit_length() - 1
        if self.rng.random() < 0.5:
            m, b = self.at[p][low], high + 1
        else:
            m, b = self.at[p][high], low - 1
        if m not in self.movable_set or b not in self.same_day_allowed[m]:
            return None
        return m, b

    def _compaction(self, p: int) -> tuple[int, int] | None:
        busy = self.busy[p]
        for day in self.day_masks:
            mine = busy & day
            low, high = (mine & -mine).bit_length() - 1, mine.bit_length() - 1
            holes = [t for t in range(low + 1, high) if not (mine >> t) & 1]
            if holes:
                m = self.at[p][low if self.rng.random() < 0.5 else high]
                return (m, self.rng.choice(holes)) if m in self.movable_set else None
        return None

    def _relieve(self) -> None:
        """The models check fewer table conditions than SlotLoads (see capacity.capacity_rows), so a
        slot may start with more meetings than its tables can seat. Such a slot sends meetings
        elsewhere, each time by the chain that lowers its overflow at the least cost in breaks,
        until it fits or no chain helps; otherwise the tables stage would move them, blindly."""
        for a in range(self.prep.n_slots):
            while (over := self.loads.overflow(a)) > 0:
                best: tuple[int, float, dict[int, int]] | None = None
                for m in sorted(self.in_slot[a] & self.movable_set):
                    for b in self.same_day_allowed[m]:
                        chain = self._chain(m, a, b) if b != a else None
                        if chain is None:
                            continue
                        to_b, to_a = chain
                        after = self.loads.overflow(a, to_b, to_a)
                        moved = {x: b for x in to_b} | {x: a for x in to_a}
                        if after >= over or not self.loads.fits(b, to_a, to_b) or not self._ordered(moved):
                            continue
                        _, hard, _ = self._delta(moved, a, b)
                        if best is None or (after, hard) < best[:2]:
                            best = (after, hard, moved)
                if best is None:
                    break
                moved = best[2]
                b = next(t for t in moved.values() if t != a)
                self._commit(moved, *self._delta(moved, a, b))

    def _delta(
        self, moved: dict[int, int], a: int, b: int
    ) -> tuple[dict[int, tuple[float, float]], float, float]:
        """The moved meetings' people's costs after swapping slots a and b, and the changes of the
        hard (breaks) and soft (idle slots) totals."""
        swap = (1 << a) | (1 << b)
        after_costs: dict[int, tuple[float, float]] = {}
        hard_delta = soft_delta = 0.0
        for x in moved:
            for p in self.prep.instance.meetings[x].participants:
                if p not in after_costs:
                    self.work += 1
                    busy = self.busy[p]
                    if (busy >> a) & 1 != (busy >> b) & 1:
                        busy ^= swap
                    after_costs[p] = cost = self._cost_of(busy)
                    hard_delta += cost[0] - self.person_cost[p][0]
                    soft_delta += cost[1] - self.person_cost[p][1]
        return after_costs, hard_delta, soft_delta

    def _commit(
        self, moved: dict[int, int], after_costs: dict[int, tuple[float, float]], hard: float, soft: float
    ) -> None:
        self._apply(moved)
        for p, c in after_costs.items():
            self.person_cost[p] = c
        self.cost += hard
        self.soft += soft

    def step(self, temperature: float) -> None:
        self.work += 1
        proposal = self._propose()
        if proposal is None:
            return
        m, b = proposal
        a = self.slot_of[m]
        if b == a:
            return
        chain = self._chain(m, a, b)
        if chain is None:
            return
        to_b, to_a = chain
        if not (self.loads.fits(a, to_b, to_a) and self.loads.fits(b, to_a, to_b)):
            return
        moved = {x: b for x in to_b} | {x: a for x in to_a}
        if not self._ordered(moved):
            return
        after_costs, hard_delta, soft_delta = self._delta(moved, a, b)
        delta = hard_delta + IDLE_WEIGHT * soft_delta
        if len(to_b) != len(to_a):
            delta += CROWD_WEIGHT * self._crowding_delta(a, b, len(to_b) - len(to_a))
        if delta <= 0 or self.rng.random() < math.exp(-delta / temperature):
            self._commit(moved, after_costs, hard_delta, soft_delta)
            if self.cost < self.best_cost - 1e-9:
                self.best_cost = self.cost
                self.best = dict(self.slot_of)

    def run(self, deadline: float, work: int, hot: float = 0.6, cold: float = 0.02) -> None:
        """Geometric cooling over a budget of work units, so a seed gives the same schedule on any
        machine; the deadline only guards against a machine much slower than WORK_PER_SECOND."""
        if not self.movable:
            return
        budget = self.work + max(1, work)
        begun = self.work
        for i in itertools.count():
            progress = (self.work - begun) / (budget - begun)
            if self.best_cost <= 0 or progress >= 1.0:
                return
            if i % 256 == 0 and time.monotonic() > deadline:
                return
            self.step(hot * (cold / hot) ** progress)
