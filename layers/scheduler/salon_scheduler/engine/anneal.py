"""Simulated annealing over Kempe-chain moves for the breaks stage.

A move picks a meeting at slot a and a target slot b of the same day, then closes the chain:
meetings of the same people at b swap back to a, and so on. Person conflicts stay impossible by
construction; allowed slots, table capacity and precedences are checked before accepting."""

from __future__ import annotations

import itertools
import math
import random
import time

from .capacity import capacity_rows
from .prepare import Prepared

MAX_MOVES = 400_000
MAX_CHAIN = 40
IDLE_WEIGHT = 0.05  # idle slots inside a person's day: a gradient towards closing a break


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
        self.allowed = [frozenset(a) for a in prep.allowed]
        self.at: list[dict[int, int]] = [{} for _ in range(prep.n_persons)]  # person -> slot -> meeting
        self.in_slot: list[set[int]] = [set() for _ in range(prep.n_slots)]
        for m, t in placement.items():
            self.in_slot[t].add(m)
            for p in prep.instance.meetings[m].participants:
                self.at[p][t] = m
        self.day = [s.day for s in prep.instance.slots]
        self.same_day_slots = {
            t: [s for s in range(prep.n_slots) if self.day[s] == self.day[t]] for t in range(prep.n_slots)
        }
        self.before: dict[int, list[int]] = {}
        self.after: dict[int, list[int]] = {}
        for b, a in prep.instance.precedences:
            if a in placement and b in placement:
                self.after.setdefault(b, []).append(a)
                self.before.setdefault(a, []).append(b)
        self.person_cost = [self._person_cost(p) for p in range(prep.n_persons)]
        self.cost = sum(c for c, _ in self.person_cost)
        self.soft = sum(i for _, i in self.person_cost)
        self.best = dict(self.slot_of)
        self.best_cost = self.cost

    def _person_cost(self, p: int) -> tuple[float, float]:
        """(breaks plus priced unfairness, idle slots between meetings)."""
        slots = sorted(self.at[p])
        gaps = [b - a - 1 for a, b in itertools.pairwise(slots) if b > a + 1 and self.day[a] == self.day[b]]
        return len(gaps) + self.penalty * max(0, len(gaps) - self.cap), float(sum(gaps))

    def _chain(self, m: int, a: int, b: int) -> tuple[list[int], list[int]] | None:
        meetings = self.prep.instance.meetings
        to_b: set[int] = {m}
        to_a: set[int] = set()
        queue = [(m, a)]
        while queue:
            current, origin = queue.pop()
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

    def _fits(self, t: int, leaving: list[int], arriving: list[int]) -> bool:
        meetings = self.prep.instance.meetings
        staying = (self.in_slot[t] - set(leaving)) | set(arriving)
        pairs = [(meetings[m], i) for i, m in enumerate(staying)]
        return not any(len(members) > limit for members, limit in capacity_rows(self.prep.instance, t, pairs))

    def _ordered(self, moved: dict[int, int]) -> bool:
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
        for m, t in moved.items():
            self.slot_of[m] = t
            self.in_slot[t].add(m)
            for p in meetings[m].participants:
                self.at[p][t] = m

    def step(self, temperature: float) -> None:
        m = self.movable[self.rng.randrange(len(self.movable))]
        a = self.slot_of[m]
        b = self.rng.choice(self.same_day_slots[a])
        if b == a:
            return
        chain = self._chain(m, a, b)
        if chain is None:
            return
        to_b, to_a = chain
        if len(to_b) != len(to_a) and not (self._fits(a, to_b, to_a) and self._fits(b, to_a, to_b)):
            return
        moved = {x: b for x in to_b} | {x: a for x in to_a}
        if not self._ordered(moved):
            return
        people = {p for x in moved for p in self.prep.instance.meetings[x].participants}
        hard_before = sum(self.person_cost[p][0] for p in people)
        soft_before = sum(self.person_cost[p][1] for p in people)
        self._apply(moved)
        after_costs = {p: self._person_cost(p) for p in people}
        hard_delta = sum(c for c, _ in after_costs.values()) - hard_before
        soft_delta = sum(i for _, i in after_costs.values()) - soft_before
        delta = hard_delta + IDLE_WEIGHT * soft_delta
        if delta <= 0 or self.rng.random() < math.exp(-delta / temperature):
            for p, c in after_costs.items():
                self.person_cost[p] = c
            self.cost += hard_delta
            self.soft += soft_delta
            if self.cost < self.best_cost - 1e-9:
                self.best_cost = self.cost
                self.best = dict(self.slot_of)
        else:
            self._apply({x: a if t == b else b for x, t in moved.items()})

    def run(self, deadline: float, moves: int = MAX_MOVES, hot: float = 0.6, cold: float = 0.02) -> None:
        """Geometric cooling over whichever ends first, the move budget or the time budget."""
        if not self.movable:
            return
        began = time.monotonic()
        span = max(1e-3, deadline - began)
        progress = 0.0
        for i in range(moves):
            if self.best_cost <= 0 or progress >= 1.0:
                return
            if i % 256 == 0:
                progress = max(i / moves, (time.monotonic() - began) / span)
            self.step(hot * (cold / hot) ** min(1.0, progress))
