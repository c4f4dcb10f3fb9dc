"""Stage 4: concrete tables, slot by slot, after the timetable is fixed.

Preference order per meeting: the locked or earlier table, the company's own dedicated table, the
table a participant sat at in their previous meeting, then the smallest table that fits. An
augmenting-path matching repairs any slot where those preferences block a complete assignment."""

from __future__ import annotations

import itertools

from ..instance import Placement
from .prepare import Prepared, table_fits


def assign_tables(prep: Prepared, placement: dict[int, int]) -> tuple[list[Placement], list[int]]:
    """Returns placements with tables and the meetings no table could be found for."""
    instance = prep.instance
    by_slot: dict[int, list[int]] = {}
    for m, t in placement.items():
        by_slot.setdefault(t, []).append(m)
    last_table: dict[int, int] = {}
    result: list[Placement] = []
    homeless: list[int] = []
    for t in sorted(by_slot):
        meetings = sorted(by_slot[t])
        chosen = _preferred_assignment(prep, t, meetings, last_table)
        if len(chosen) < len(meetings):
            chosen = _complete_matching(prep, t, meetings, chosen)
        for m in meetings:
            table = chosen.get(m)
            if table is None:
                homeless.append(m)
                continue
            result.append(Placement(m, t, table))
            for person in instance.meetings[m].participants:
                last_table[person] = table
    return result, homeless


def _preference(prep: Prepared, m: int, last_table: dict[int, int]) -> list[int]:
    meeting = prep.instance.meetings[m]
    wishes: list[int] = []
    anchor = prep.locked.get(m) or prep.preferred.get(m)
    if anchor is not None:
        wishes.append(anchor[1])
    wishes.extend(
        table.index for table in prep.instance.tables if table.dedicated_company in meeting.companies
    )
    wishes.extend(last_table[p] for p in meeting.participants if p in last_table)
    return wishes


def _preferred_assignment(
    prep: Prepared, t: int, meetings: list[int], last_table: dict[int, int]
) -> dict[int, int]:
    instance = prep.instance
    taken: set[int] = set()
    chosen: dict[int, int] = {}
    order = sorted(meetings, key=lambda m: (m not in prep.locked, -len(instance.meetings[m].participants), m))
    for m in order:
        meeting = instance.meetings[m]
        for index in _preference(prep, m, last_table):
            if index not in taken and table_fits(instance.tables[index], meeting, t):
                chosen[m] = index
                taken.add(index)
                break
    for m in order:
        if m in chosen:
            continue
        meeting = instance.meetings[m]
        fits = [
            table
            for table in instance.tables
            if table.index not in taken and table.dedicated_company is None and table_fits(table, meeting, t)
        ]
        if fits:
            best = min(fits, key=lambda table: (table.capacity, table.index))
            chosen[m] = best.index
            taken.add(best.index)
    return chosen


def _complete_matching(prep: Prepared, t: int, meetings: list[int], seed: dict[int, int]) -> dict[int, int]:
    """Kuhn's augmenting paths, started from the preferred assignment so most preferences survive."""
    instance = prep.instance
    options = {
        m: [table.index for table in instance.tables if table_fits(table, instance.meetings[m], t)]
        for m in meetings
    }
    owner: dict[int, int] = {table: m for m, table in seed.items()}
    chosen = dict(seed)
    pinned_table = {m: prep.locked[m][1] for m in meetings if m in prep.locked}

    def augment(m: int, visited: set[int]) -> bool:
        for table in options[m]:
            if table in visited:
                continue
            visited.add(table)
            holder = owner.get(table)
            if holder is not None and holder in pinned_table:
                continue
            if holder is None or augment(holder, visited):
                owner[table] = m
                chosen[m] = table
                return True
        return False

    for m in meetings:
        if m not in chosen:
            augment(m, set())
    return chosen


def table_changes(prep: Prepared, placements: list[Placement]) -> int:
    """Times a person sits at a different table from their previous meeting."""
    per_person: dict[int, list[tuple[int, int]]] = {}
    for placement in placements:
        for person in prep.instance.meetings[placement.meeting].participants:
            per_person.setdefault(person, []).append((placement.slot, placement.table))
    changes = 0
    for seats in per_person.values():
        seats.sort()
        changes += sum(1 for (_, a), (_, b) in itertools.pairwise(seats) if a != b)
    return changes


def dedicated_misses(prep: Prepared, placements: list[Placement]) -> int:
    """Meetings whose company owns a dedicated table but sit elsewhere."""
    instance = prep.instance
    owners = {table.dedicated_company for table in instance.tables if table.dedicated_company is not None}
    return sum(
        1
        for p in placements
        if any(c in owners for c in instance.meetings[p.meeting].companies)
        and instance.tables[p.table].dedicated_company not in instance.meetings[p.meeting].companies
    )
