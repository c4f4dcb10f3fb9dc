"""The fairness pass's bookkeeping: who is busy when, each person's breaks, and what a change (a
meeting moved, possibly evicting others, or removed) would do to the excess over the cap."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..instance import Mode, Placement
from .prepare import Prepared
from .repair import person_breaks
from .slot_state import SlotState


@dataclass(frozen=True)
class Change:
    meeting: int
    slot: int | None = None  # where it moves; None: it is removed
    evicted: tuple[int, ...] = ()  # meetings removed to free its participants there


def must_stay(prep: Prepared, m: int) -> bool:
    """Required, fixed to a slot or locked by the mode: never removed for fairness, and their
    breaks among themselves are the floor the cap cannot push a person below."""
    meeting = prep.instance.meetings[m]
    locked = prep.instance.mode == Mode.LOCKED and meeting.existing is not None
    return meeting.required or meeting.fixed_slot is not None or locked


class CapState:
    def __init__(self, prep: Prepared, placements: list[Placement], cap: int) -> None:
        self.prep = prep
        self.cap = cap
        self.placed = {p.meeting: p for p in placements}
        self.slots = SlotState(prep)
        self.holder: dict[tuple[int, int], int] = {}  # (person, slot) -> meeting
        self.orderings: dict[int, list[tuple[int, int]]] = {}
        for pair in prep.instance.precedences:
            for m in set(pair):
                self.orderings.setdefault(m, []).append(pair)
        for p in placements:
            self._place(p)
        self.breaks = [person_breaks(prep, busy) for busy in self.slots.busy]
        self.counts = Counter(self.breaks)

    def limit(self, counts: Counter[int] | None = None) -> int:
        counts = self.counts if counts is None else counts
        return min((b for b, n in counts.items() if n > 0), default=0) + self.cap

    def excess(self, counts: Counter[int] | None = None) -> int:
        """Breaks above the fewest anyone has plus the cap, summed over persons."""
        counts = self.counts if counts is None else counts
        limit = self.limit(counts)
        return sum((b - limit) * n for b, n in counts.items() if b > limit)

    def floor(self, person: int) -> int:
        """The person's breaks among their meetings that must stay."""
        mine = (m for m in self.prep.meetings_of_person[person] if m in self.placed)
        return person_breaks(self.prep, {self.placed[m].slot for m in mine if must_stay(self.prep, m)})

    def placements(self) -> list[Placement]:
        return sorted(self.placed.values(), key=lambda p: (p.slot, p.table))

    def outcome(self, change: Change) -> tuple[int, int, int]:
        """(the excess after the change, the weight it removes, the breaks after)."""
        freed: dict[int, set[int]] = {}
        for m in (change.meeting, *change.evicted):
            for person in self._people(m):
                freed.setdefault(person, set()).add(self.placed[m].slot)
        counts = self.counts.copy()
        for person, slots in freed.items():
            busy = self.slots.busy[person] - slots
            if change.slot is not None and person in self._people(change.meeting):
                busy.add(change.slot)
            counts[self.breaks[person]] -= 1
            counts[person_breaks(self.prep, busy)] += 1
        gone = change.evicted if change.slot is not None else (change.meeting, *change.evicted)
        weight = sum(self.prep.instance.meetings[m].weight for m in gone)
        return self.excess(counts), weight, sum(b * n for b, n in counts.items())

    def seat(self, change: Change) -> int | None:
        """The table a moved meeting would take once it and the evicted leave their places, or None
        when it cannot go there (a participant busy, no table, a quota or an order broken)."""
        m, t = change.meeting, change.slot
        if t is None or not self._keeps_order(m, t, set(change.evicted)):
            return None
        undone = [self.placed[e] for e in (m, *change.evicted)]
        for p in undone:
            self.slots.remove(p.meeting, p.slot)
        table = self.slots.pick_table(m, t) if self.slots.can_place(m, t) else None
        for p in undone:
            self.slots.place(p.meeting, p.slot, p.table)
        return table

    def seat_added(self, m: int, t: int) -> tuple[int, int] | None:
        """(the table, its participants' breaks after) if unplaced meeting m can go to slot t and
        leave everyone within the cap (or leave everyone's breaks as they are), else None."""
        if not self.slots.can_place(m, t) or not self._keeps_order(m, t, set()):
            return None
        counts = self.counts.copy()
        changed, total = False, 0
        for person in set(self._people(m)):
            after = person_breaks(self.prep, self.slots.busy[person] | {t})
            changed |= after != self.breaks[person]
            total += after
            counts[self.breaks[person]] -= 1
            counts[after] += 1
        table = self.slots.pick_table(m, t)
        if table is None or (changed and self.excess(counts) > 0):
            return None
        return table, total

    def add(self, m: int, t: int, table: int) -> None:
        self._place(Placement(m, t, table))
        for person in set(self._people(m)):
            self.counts[self.breaks[person]] -= 1
            self.breaks[person] = person_breaks(self.prep, self.slots.busy[person])
            self.counts[self.breaks[person]] += 1

    def apply(self, change: Change, table: int | None) -> list[int]:
        """Makes the change, a moved meeting taking `table` (see seat); returns the meetings it
        removes."""
        moved = (
            None if change.slot is None or table is None else Placement(change.meeting, change.slot, table)
        )
        gone = [*change.evicted] + ([change.meeting] if moved is None else [])
        touched = {q for m in (change.meeting, *change.evicted) for q in self._people(m)}
        for m in (change.meeting, *change.evicted):
            self._unplace(self.placed.pop(m))
        if moved is not None:
            self._place(moved)
        for person in touched:
            self.counts[self.breaks[person]] -= 1
            self.breaks[person] = person_breaks(self.prep, self.slots.busy[person])
            self.counts[self.breaks[person]] += 1
        return gone

    def _keeps_order(self, m: int, t: int, evicted: set[int]) -> bool:
        """Slot t keeps m before or after every placed meeting it is ordered with."""
        for before, after in self.orderings.get(m, ()):
            other = after if m == before else before
            if other in evicted or other not in self.placed:
                continue
            slot = self.placed[other].slot
            if (t >= slot) if m == before else (slot >= t):
                return False
        return True

    def _people(self, m: int) -> tuple[int, ...]:
        return self.prep.instance.meetings[m].participants

    def _place(self, p: Placement) -> None:
        self.placed[p.meeting] = p
        self.slots.place(p.meeting, p.slot, p.table)
        for person in self._people(p.meeting):
            self.holder[person, p.slot] = p.meeting

    def _unplace(self, p: Placement) -> None:
        self.slots.remove(p.meeting, p.slot)
        for person in self._people(p.meeting):
            self.holder.pop((person, p.slot), None)
