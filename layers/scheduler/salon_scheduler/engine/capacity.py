"""Table capacity per slot without indexing the model by table.

Tables are interchangeable up to capacity and dedication, so the models only count meetings per slot
against nested capacity classes; `tables.py` then assigns concrete tables slot by slot. The rows
below are Hall-type conditions for the common structures (size thresholds, dedicated tables)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ..instance import Instance, Meeting, Mode
from .mip import Mip
from .prepare import Prepared


def dedicated_companies(instance: Instance) -> frozenset[int]:
    return frozenset(t.dedicated_company for t in instance.tables if t.dedicated_company is not None)


SHARED = -1  # the group of meetings that only tables dedicated to nobody can seat


@dataclass(frozen=True)
class SlotTables:
    """One slot's open tables, counted per size threshold: all of them, those dedicated to nobody,
    and each company's own."""

    sizes: tuple[int, ...]  # ascending; index k below means "capacity at least sizes[k]"
    seats: tuple[int, ...]
    shared: tuple[int, ...]
    own: Mapping[int, tuple[int, ...]]
    own_capacity: Mapping[int, int]  # company -> its largest open table

    def group(self, meeting: Meeting) -> int | None:
        """SHARED when no table of its own companies here can seat the meeting, the company when
        exactly one company's can, None when both companies' can."""
        owners = {c for c in meeting.companies if self.own_capacity.get(c, 0) >= len(meeting.participants)}
        if not owners:
            return SHARED
        return owners.pop() if len(owners) == 1 else None


def slot_tables(instance: Instance, slot: int, sizes: Iterable[int], held: frozenset[int]) -> SlotTables:
    thresholds = tuple(sorted(set(sizes)))
    open_tables = [t for t in instance.tables if slot not in t.unavailable_slots and t.index not in held]
    by_owner: dict[int, list[int]] = {}
    for table in open_tables:
        if table.dedicated_company is not None:
            by_owner.setdefault(table.dedicated_company, []).append(table.capacity)

    def counted(capacities: list[int]) -> tuple[int, ...]:
        return tuple(sum(1 for c in capacities if c >= size) for size in thresholds)

    return SlotTables(
        sizes=thresholds,
        seats=counted([t.capacity for t in open_tables]),
        shared=counted([t.capacity for t in open_tables if t.dedicated_company is None]),
        own={company: counted(capacities) for company, capacities in by_owner.items()},
        own_capacity={company: max(capacities) for company, capacities in by_owner.items()},
    )


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


def capacity_rows(
    instance: Instance,
    slot: int,
    candidates: Iterable[tuple[Meeting, int]],
    settled: Iterable[Meeting] = (),
    held: HeldTables = HeldTables(),
) -> list[tuple[list[int], int]]:
    """Rows `sum(vars) <= limit` for one slot; candidates are (meeting, variable index) and settled
    meetings already sit in the slot outside the model (they only lower the limits). Meetings
    holding their own table are left out, and so are their tables.

    Per size threshold, Hall's condition for all meetings (against all tables) and for those of
    companies without tables of their own (against the shared ones). SlotLoads checks sharper
    ones; as model rows they sent HiGHS's fairness stage on L past its limit (18 s, from 9)."""
    pairs = [(m, v) for m, v in candidates if m.index not in held.meetings]
    fixed = [m for m in settled if m.index not in held.meetings]
    if not pairs:
        return []
    dedicated = dedicated_companies(instance)
    taken = held.at(slot)
    open_tables = [t for t in instance.tables if slot not in t.unavailable_slots and t.index not in taken]
    sizes = sorted({len(m.participants) for m in [*(m for m, _ in pairs), *fixed]})
    rows: list[tuple[list[int], int]] = []
    for size in sizes:
        # a table dedicated to a company none of these meetings belongs to seats none of them
        present = {
            c for m in [*(m for m, _ in pairs), *fixed] if len(m.participants) >= size for c in m.companies
        }
        usable = sum(
            1
            for t in open_tables
            if t.capacity >= size and (t.dedicated_company is None or t.dedicated_company in present)
        )
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


class SlotLoads:
    """Hall's conditions per slot and size threshold, kept as running counts for a search that
    moves meetings a chain at a time (a move's check costs a few additions, not a pass over the
    slot): all meetings against all tables, and the meetings that must sit at shared tables
    against those. The latter are the meetings no own table can seat, plus each company's
    meetings beyond its own tables when only its tables (or shared ones) can seat them. Sharper
    than `capacity_rows`. Meetings holding their own table (LOCKED mode) count nowhere."""

    def __init__(self, prep: Prepared, placement: Mapping[int, int]) -> None:
        instance = prep.instance
        self.meetings = instance.meetings
        self.held = held_tables(prep)
        sizes = sorted({len(m.participants) for m in instance.meetings})
        self.level = [sizes.index(len(m.participants)) + 1 for m in instance.meetings]
        self.tables = [slot_tables(instance, t, sizes, self.held.at(t)) for t in range(prep.n_slots)]
        self.groups: dict[tuple[int, int], int | None] = {}
        self.seats = [[0] * len(sizes) for _ in range(prep.n_slots)]
        self.shared = [[0] * len(sizes) for _ in range(prep.n_slots)]  # only shared tables can seat
        self.own: list[dict[int, list[int]]] = [
            {company: [0] * len(sizes) for company in tables.own} for tables in self.tables
        ]
        self.excess = [[0] * len(sizes) for _ in range(prep.n_slots)]  # own meetings beyond own tables
        # per company owning tables in the slot, its meetings there; the tables of a company with none
        # seat nobody, so they leave the count of all tables
        self.present: list[dict[int, list[int]]] = [
            {company: [0] * len(sizes) for company in tables.own} for tables in self.tables
        ]
        self.idle = [
            [sum(own[k] for own in tables.own.values()) for k in range(len(sizes))] for tables in self.tables
        ]
        for m, slot in placement.items():
            self._add(slot, m, 1)
        # every table open in every slot, shared and large enough for every meeting: a count will do
        self.interchangeable = not self.held.meetings and all(
            not t.unavailable_slots and t.dedicated_company is None and t.capacity >= max(sizes, default=0)
            for t in instance.tables
        )

    def _group(self, slot: int, m: int) -> int | None:
        key = (slot, m)
        if key not in self.groups:
            self.groups[key] = self.tables[slot].group(self.meetings[m])
        return self.groups[key]

    def _tally(
        self, slot: int, m: int, sign: int, seats: list[int], shared: list[int], own: dict[int, list[int]]
    ) -> None:
        """Adds (or, with sign -1, takes) meeting m's share of the slot's counts to the given ones."""
        if m in self.held.meetings:
            return
        group = self._group(slot, m)
        for k in range(self.level[m]):
            seats[k] += sign
            if group == SHARED:
                shared[k] += sign
            elif group is not None:
                if group not in own:  # not setdefault: this runs on every proposed move
                    own[group] = [0] * len(seats)
                own[group][k] += sign

    def _presence(self, slot: int, m: int, sign: int, present: dict[int, list[int]], idle: list[int]) -> None:
        """Adds (or takes) meeting m to its companies' counts and the idle tables' to match."""
        if m in self.held.meetings:
            return
        owned = self.tables[slot].own
        for company in set(self.meetings[m].companies):
            counts = present.get(company)
            if counts is None:
                continue
            for k in range(self.level[m]):
                was = counts[k]
                counts[k] += sign
                if was == 0 and counts[k] > 0:
                    idle[k] -= owned[company][k]
                elif was > 0 and counts[k] == 0:
                    idle[k] += owned[company][k]

    def _add(self, slot: int, m: int, sign: int) -> None:
        self._presence(slot, m, sign, self.present[slot], self.idle[slot])
        group = self._group(slot, m)
        before = list(self.own[slot][group]) if group not in (SHARED, None) else None
        self._tally(slot, m, sign, self.seats[slot], self.shared[slot], self.own[slot])
        if before is not None and group is not None:
            for k, (was, tables) in enumerate(zip(before, self.tables[slot].own[group], strict=True)):
                now = self.own[slot][group][k]
                self.excess[slot][k] += max(0, now - tables) - max(0, was - tables)

    def _after(
        self, slot: int, leaving: Iterable[int], arriving: Iterable[int]
    ) -> tuple[list[int], list[int], Sequence[int]]:
        """Per threshold, the slot's meetings, its meetings that must sit at shared tables and the
        tables that can seat one of them, once `leaving` have left and `arriving` have come."""
        n = len(self.tables[slot].sizes)
        seats, shared = list(self.seats[slot]), list(self.shared[slot])
        own: dict[int, list[int]] = {}
        owners = self.present[slot]
        idle = list(self.idle[slot]) if owners else None
        present: dict[int, list[int]] = {}  # only the moved meetings' companies, copied on first use
        for moved, sign in ((leaving, -1), (arriving, 1)):
            for m in moved:
                self._tally(slot, m, sign, seats, shared, own)
                if idle is not None:
                    for company in self.meetings[m].companies:
                        if company in owners and company not in present:
                            present[company] = list(owners[company])
                    self._presence(slot, m, sign, present, idle)
        for k in range(n):
            shared[k] += self.excess[slot][k]
            for company, change in own.items():
                count, tables = self.own[slot][company][k], self.tables[slot].own[company][k]
                shared[k] += max(0, count + change[k] - tables) - max(0, count - tables)
        if idle is None:
            return seats, shared, self.tables[slot].seats
        return seats, shared, [self.tables[slot].seats[k] - idle[k] for k in range(n)]

    def overflow(self, slot: int, leaving: Iterable[int] = (), arriving: Iterable[int] = ()) -> int:
        """By how many meetings, summed over the rows, the slot would exceed its tables."""
        tables = self.tables[slot]
        seats, shared, usable = self._after(slot, leaving, arriving)
        return sum(
            max(0, seats[k] - usable[k]) + max(0, shared[k] - tables.shared[k])
            for k in range(len(tables.sizes))
        )

    def fits(self, slot: int, leaving: Collection[int], arriving: Collection[int]) -> bool:
        tables = self.tables[slot]
        if self.interchangeable:
            return self.seats[slot][0] + len(arriving) - len(leaving) <= tables.seats[0]
        seats, shared, usable = self._after(slot, leaving, arriving)
        return all(seats[k] <= usable[k] and shared[k] <= tables.shared[k] for k in range(len(tables.sizes)))

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
        for members, limit in capacity_rows(instance, slot, pairs, fixed, held or HeldTables()):
            mip.row(members, [1.0] * len(members), -1.0, float(limit))
