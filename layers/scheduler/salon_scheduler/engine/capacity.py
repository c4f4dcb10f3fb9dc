"""Table capacity per slot without indexing the model by table.

Tables are interchangeable up to capacity and dedication, so the models only count meetings per slot
against nested capacity classes; `tables.py` then assigns concrete tables slot by slot. The rows
below are Hall-type conditions for the common structures (size thresholds, dedicated tables)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..instance import Instance, Meeting, Mode
from .mip import Mip
from .prepare import Prepared


def dedicated_companies(instance: Instance) -> frozenset[int]:
    return frozenset(t.dedicated_company for t in instance.tables if t.dedicated_company is not None)


def capacity_rows(
    instance: Instance,
    slot: int,
    candidates: Iterable[tuple[Meeting, int]],
    settled: Iterable[Meeting] = (),
    held: frozenset[int] = frozenset(),
) -> list[tuple[list[int], int]]:
    """Rows `sum(vars) <= limit` for one slot; candidates are (meeting, variable index) and settled
    meetings already sit in the slot outside the model (they only lower the limits). `held` tables
    are taken by locked meetings, which are then neither candidates nor settled."""
    pairs = list(candidates)
    fixed = list(settled)
    if not pairs:
        return []
    dedicated = dedicated_companies(instance)
    open_tables = [t for t in instance.tables if slot not in t.unavailable_slots and t.index not in held]
    sizes = sorted({len(m.participants) for m, _ in pairs})
    rows: list[tuple[list[int], int]] = []
    for size in sizes:
        usable = sum(1 for t in open_tables if t.capacity >= size)
        usable -= sum(1 for m in fixed if len(m.participants) >= size)
        members = [v for m, v in pairs if len(m.participants) >= size]
        if len(members) > usable:
            rows.append((members, usable))
        if dedicated:
            free_usable = sum(1 for t in open_tables if t.capacity >= size and t.dedicated_company is None)
            free_usable -= sum(
                1
                for m in fixed
                if len(m.participants) >= size and not any(c in dedicated for c in m.companies)
            )
            outsiders = [
                v
                for m, v in pairs
                if len(m.participants) >= size and not any(c in dedicated for c in m.companies)
            ]
            if len(outsiders) > free_usable:
                rows.append((outsiders, free_usable))
    return rows


@dataclass(frozen=True)
class HeldTables:
    """In LOCKED mode a locked meeting keeps its table as well as its slot. Counting such a meeting
    against any table would let a search fill a slot whose free tables are the wrong ones, so these
    meetings leave the capacity rows and their tables leave their slots' open tables."""

    meetings: frozenset[int] = frozenset()
    by_slot: Mapping[int, frozenset[int]] = field(default_factory=dict)

    def at(self, slot: int) -> frozenset[int]:
        return self.by_slot.get(slot, frozenset())


def held_tables(prep: Prepared) -> HeldTables:
    if prep.instance.mode != Mode.LOCKED:
        return HeldTables()
    by_slot: dict[int, set[int]] = {}
    for slot, table in prep.locked.values():
        by_slot.setdefault(slot, set()).add(table)
    return HeldTables(frozenset(prep.locked), {slot: frozenset(tables) for slot, tables in by_slot.items()})


class SlotLoads:
    """The rows of `capacity_rows` kept as running counts per slot, for a search that moves
    meetings a chain at a time: asking whether a move fits costs a few additions, not a pass over
    the slot. Row k of a slot counts its meetings of at least the k-th size, and again those with no
    dedicated-table company; meetings holding their own table count in neither."""

    def __init__(self, prep: Prepared, placement: Mapping[int, int]) -> None:
        instance = prep.instance
        self.held = held_tables(prep)
        self.sizes = sorted({len(m.participants) for m in instance.meetings})
        dedicated = dedicated_companies(instance)
        self.outsider = [not any(c in dedicated for c in m.companies) for m in instance.meetings]
        self.level = [self.sizes.index(len(m.participants)) + 1 for m in instance.meetings]
        self.limits: list[list[tuple[int, int]]] = []
        for slot in range(prep.n_slots):
            held = self.held.at(slot)
            open_tables = [
                t for t in instance.tables if slot not in t.unavailable_slots and t.index not in held
            ]
            self.limits.append(
                [
                    (
                        sum(1 for t in open_tables if t.capacity >= size),
                        sum(1 for t in open_tables if t.capacity >= size and t.dedicated_company is None),
                    )
                    for size in self.sizes
                ]
            )
        self.counts = [[[0, 0] for _ in self.sizes] for _ in range(prep.n_slots)]
        for m, slot in placement.items():
            self._add(slot, m, 1)

    def _add(self, slot: int, m: int, sign: int) -> None:
        if m in self.held.meetings:
            return
        rows = self.counts[slot]
        for k in range(self.level[m]):
            rows[k][0] += sign
            if self.outsider[m]:
                rows[k][1] += sign

    def fits(self, slot: int, leaving: Iterable[int], arriving: Iterable[int]) -> bool:
        delta = [[0, 0] for _ in self.sizes]
        for moved, sign in ((leaving, -1), (arriving, 1)):
            for m in moved:
                if m in self.held.meetings:
                    continue
                for k in range(self.level[m]):
                    delta[k][0] += sign
                    if self.outsider[m]:
                        delta[k][1] += sign
        return all(
            count + change <= limit and outsiders + outsider_change <= free_limit
            for (count, outsiders), (change, outsider_change), (limit, free_limit) in zip(
                self.counts[slot], delta, self.limits[slot], strict=True
            )
        )

    def move(self, m: int, source: int, target: int) -> None:
        self._add(source, m, -1)
        self._add(target, m, 1)


def add_capacity_rows(
    mip: Mip,
    instance: Instance,
    by_slot: dict[int, list[tuple[Meeting, int]]],
    settled: dict[int, list[Meeting]] | None = None,
    held: HeldTables | None = None,
) -> None:
    for slot, pairs in by_slot.items():
        fixed = (settled or {}).get(slot, [])
        for members, limit in capacity_rows(instance, slot, pairs, fixed, (held or HeldTables()).at(slot)):
            mip.row(members, [1.0] * len(members), -1.0, float(limit))
