"""Breaks by clause learning: "the same meetings in at most k breaks" as CNF for CaDiCaL.

The LP relaxation of break counting is weak, and the annealer stalls a few breaks above the optimum
on tightly packed events; a solver that learns from its conflicts completes those schedules (see
docs/ARCHITECTURE.md for the measurements). Tables never appear: capacity is counted per slot, as
in the MIP rows.

Literals: x[m, t] the meeting takes slot t; busy[p, t] some meeting of p takes t; start[p, t] p is
busy at t and not at the slot before on the same day. A totalizer per person and day counts the
starts; its outputs from the second on are that day's breaks, and a global totalizer over all of
them bounds the total by assumption, so one solver serves the whole descent. On a single-day event
a person without a break fills one window of as many consecutive slots as meetings; window literals
say so, which lets the solver settle a whole agenda in one propagation (without them forum-14's
optimum took 121 s instead of 9)."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

from pysat.card import CardEnc, EncType, ITotalizer
from pysat.solvers import Solver

from ..instance import Meeting
from .breaks import count_breaks
from .capacity import capacity_rows, held_tables
from .prepare import Prepared

# CaDiCaL's own settings for satisfiable formulas: stable-mode search only, lighter inprocessing
SOLUTION_FOCUS = {"stabilizeonly": 1, "elimreleff": 10, "subsumereleff": 60}
# meeting-slot pairs; past this the formula outgrows the budget (the M tier: 12k pairs, 1.5 GB, no gain)
MAX_LITERALS = 8_000


class Verdict(Enum):
    FOUND = "found"
    NONE = "none"  # no schedule within the bound (under this model's per-person limits)
    UNKNOWN = "unknown"  # the conflict budget ran out


@dataclass(frozen=True)
class SatAnswer:
    verdict: Verdict
    placement: dict[int, int] | None
    conflicts: int


def sat_applies(prep: Prepared, placement: Mapping[int, int]) -> bool:
    return sum(len(prep.allowed[m]) for m in placement) <= MAX_LITERALS


class BreaksSat:
    """Schedules of exactly the meetings of `placement`, each person within max(cap, their breaks
    in `placement`): so every answer meets the fairness cap wherever the given schedule does, and
    the given schedule is itself a model."""

    def __init__(self, prep: Prepared, placement: Mapping[int, int], cap: int) -> None:
        self.prep = prep
        self.top = 0
        self.clauses: list[list[int]] = []
        self.slots_of: dict[int, list[tuple[int, int]]] = {}  # meeting -> (slot, literal)
        pinned = prep.locked_slots
        for m in sorted(placement):
            slots = (pinned[m],) if m in pinned else prep.allowed[m]
            self.slots_of[m] = [(t, self._new()) for t in slots]
            literals = [lit for _, lit in self.slots_of[m]]
            self.clauses.append(literals)
            self._at_most(literals, 1)
        self._capacity()
        self._precedences(placement)
        breaks = count_breaks(prep, placement)
        limits = [max(cap, b) for b in breaks]
        break_literals = [lit for p in range(prep.n_persons) for lit in self._person(p, limits[p])]
        self.total = ITotalizer(lits=break_literals, ubound=sum(breaks), top_id=self.top)
        self.top = max(self.top, self.total.top_id)  # an empty totalizer reports 0
        self.clauses.extend(self.total.cnf.clauses)
        self.solver = Solver(name="cadical195")
        self.solver.configure(SOLUTION_FOCUS)
        self.solver.append_formula(self.clauses)
        self.clauses = []

    def below(self, bound: int, conflicts: int) -> SatAnswer:
        """A schedule with at most `bound` breaks, searched for at most `conflicts` conflicts."""
        assumptions = [-self.total.rhs[bound]] if bound < len(self.total.rhs) else []
        before = self.solver.accum_stats().get("conflicts", 0)
        self.solver.conf_budget(max(1, conflicts))
        result = self.solver.solve_limited(assumptions=assumptions)
        spent = self.solver.accum_stats().get("conflicts", 0) - before
        if result is None:
            return SatAnswer(Verdict.UNKNOWN, None, spent)
        if not result:
            return SatAnswer(Verdict.NONE, None, spent)
        true = {lit for lit in self.solver.get_model() if lit > 0}
        placement = {m: t for m, pairs in self.slots_of.items() for t, lit in pairs if lit in true}
        return SatAnswer(Verdict.FOUND, placement, spent)

    def close(self) -> None:
        self.solver.delete()

    def _new(self) -> int:
        self.top += 1
        return self.top

    def _at_most(self, literals: Sequence[int], bound: int) -> None:
        if len(literals) <= bound:
            return
        if bound == 1 and len(literals) <= 5:
            self.clauses.extend([-a, -b] for a, b in itertools.combinations(literals, 2))
            return
        kind = EncType.seqcounter if len(literals) < 8 else EncType.totalizer
        encoded = CardEnc.atmost(lits=list(literals), bound=bound, top_id=self.top, encoding=kind)
        self.top = max(self.top, encoded.nv)
        self.clauses.extend(encoded.clauses)

    def _capacity(self) -> None:
        instance = self.prep.instance
        held = held_tables(self.prep)
        by_slot: dict[int, list[tuple[Meeting, int]]] = {}
        for m, options in self.slots_of.items():
            for t, lit in options:
                by_slot.setdefault(t, []).append((instance.meetings[m], lit))
        for t, pairs in by_slot.items():
            for members, limit in capacity_rows(instance, t, pairs, held=held):
                self._at_most(members, limit)

    def _precedences(self, placement: Mapping[int, int]) -> None:
        for before, after in self.prep.instance.precedences:
            if before in placement and after in placement:
                for (t, a), (u, b) in itertools.product(self.slots_of[before], self.slots_of[after]):
                    if u <= t:
                        self.clauses.append([-a, -b])

    def _person(self, p: int, limit: int) -> list[int]:
        """The person's busy, start and window literals; returns the literals that count breaks."""
        mine = [m for m in self.prep.meetings_of_person[p] if m in self.slots_of]
        if len(mine) <= 1:
            return []
        busy_parts: dict[int, list[int]] = {}
        for m in mine:
            for t, lit in self.slots_of[m]:
                busy_parts.setdefault(t, []).append(lit)
        busy: dict[int, int] = {}
        for t, parts in sorted(busy_parts.items()):
            self._at_most(parts, 1)
            busy[t] = self._new()
            self.clauses.append([-busy[t], *parts])
            self.clauses.extend([-part, busy[t]] for part in parts)
        days: dict[int, list[int]] = {}
        for t in busy:
            days.setdefault(self.prep.instance.slots[t].day, []).append(t)
        breaks: list[int] = []
        for slots in days.values():
            starts = [self._start(busy, t) for t in slots]
            counter = ITotalizer(lits=starts, ubound=min(len(starts), limit + 2), top_id=self.top)
            self.top = counter.top_id
            self.clauses.extend(counter.cnf.clauses)
            if len(counter.rhs) > limit + 1:
                self.clauses.append([-counter.rhs[limit + 1]])
            breaks.extend(counter.rhs[1 : limit + 1])
            if len(days) == 1:
                self._windows(busy, len(mine), counter.rhs[1] if len(counter.rhs) > 1 else None)
        self._at_most(breaks, limit)
        return breaks

    def _start(self, busy: dict[int, int], t: int) -> int:
        start = self._new()
        previous = busy.get(t - 1) if t > 0 and self.prep.next_in_day[t - 1] == t else None
        self.clauses.append([-start, busy[t]])
        if previous is None:
            self.clauses.append([start, -busy[t]])
        else:
            self.clauses.append([-start, -previous])
            self.clauses.append([start, -busy[t], previous])
        return start

    def _windows(self, busy: dict[int, int], count: int, second_run: int | None) -> None:
        """Without a second run the person is busy exactly on one window of `count` slots."""
        slots = sorted(busy)
        windows = [a for a in slots if all(self._linked(busy, a + i) for i in range(1, count))]
        literals = {a: self._new() for a in windows}
        self.clauses.append([*([] if second_run is None else [second_run]), *literals.values()])
        self._at_most(list(literals.values()), 1)
        for a, w in literals.items():
            self.clauses.extend([-w, busy[t]] if a <= t < a + count else [-w, -busy[t]] for t in slots)

    def _linked(self, busy: dict[int, int], t: int) -> bool:
        """Slot t can be busy and directly follows t - 1 on the same day."""
        return t in busy and self.prep.next_in_day[t - 1] == t
