"""Derived, index-friendly views of an Instance that every stage needs."""

from __future__ import annotations

from dataclasses import dataclass

from ..instance import Instance, Meeting, Mode, Table


def table_fits(table: Table, meeting: Meeting, slot: int) -> bool:
    if slot in table.unavailable_slots or table.capacity < len(meeting.participants):
        return False
    return table.dedicated_company is None or table.dedicated_company in meeting.companies


@dataclass(frozen=True)
class Prepared:
    instance: Instance
    n_slots: int
    meetings_of_person: tuple[tuple[int, ...], ...]
    allowed: tuple[tuple[int, ...], ...]  # meeting -> slots it may take (ignoring other meetings)
    locked: dict[int, tuple[int, int]]  # meeting -> (slot, table) it must keep
    preferred: dict[int, tuple[int, int]]  # meeting -> (slot, table) to keep where possible
    next_in_day: tuple[int | None, ...]  # slot -> the adjacent following slot, if same day

    @property
    def locked_slots(self) -> dict[int, int]:
        return {m: slot for m, (slot, _) in self.locked.items()}

    @property
    def n_meetings(self) -> int:
        return len(self.instance.meetings)

    @property
    def n_persons(self) -> int:
        return self.instance.n_participants

    def day_slots(self) -> list[list[int]]:
        days: dict[int, list[int]] = {}
        for slot in self.instance.slots:
            days.setdefault(slot.day, []).append(slot.index)
        return [sorted(slots) for _, slots in sorted(days.items())]


def prepare(instance: Instance) -> Prepared:
    n_slots = len(instance.slots)
    by_person: list[list[int]] = [[] for _ in range(instance.n_participants)]
    for meeting in instance.meetings:
        for person in set(meeting.participants):
            by_person[person].append(meeting.index)
    locked: dict[int, tuple[int, int]] = {}
    preferred: dict[int, tuple[int, int]] = {}
    for meeting in instance.meetings:
        if meeting.fixed_slot is not None and meeting.fixed_table is not None:
            locked[meeting.index] = (meeting.fixed_slot, meeting.fixed_table)  # in every mode
            continue
        if meeting.existing is None or instance.mode == Mode.FROM_SCRATCH:
            continue
        target = (meeting.existing.slot, meeting.existing.table)
        if instance.mode == Mode.LOCKED:
            locked[meeting.index] = target
        else:
            preferred[meeting.index] = target
    allowed = tuple(_allowed_slots(instance, meeting, {}) for meeting in instance.meetings)
    locked = _consistent_locks(instance, locked, allowed)
    allowed = tuple(
        ((locked[m.index][0],) if m.index in locked else ()) if pinned(instance, m) else allowed[m.index]
        for m in instance.meetings
    )
    slot_day = {slot.index: slot.day for slot in instance.slots}
    next_in_day = tuple(
        t + 1 if t + 1 < n_slots and slot_day[t + 1] == slot_day[t] else None for t in range(n_slots)
    )
    return Prepared(
        instance=instance,
        n_slots=n_slots,
        meetings_of_person=tuple(tuple(ms) for ms in by_person),
        allowed=allowed,
        locked=locked,
        preferred=preferred,
        next_in_day=next_in_day,
    )


def pinned(instance: Instance, meeting: Meeting) -> bool:
    """Does the meeting keep its place or stay out: locked to a slot and table, or by the mode?"""
    return meeting.fixed_table is not None or (instance.mode == Mode.LOCKED and meeting.existing is not None)


def required_order_options(prep: Prepared, candidates: list[int]) -> dict[int, tuple[int, ...]]:
    """Narrower slots for required meetings in precedences, valid only for a model that places
    every required meeting: between placed meetings the order binds, so a chain of j predecessors
    rules out the first j usable slots, and likewise for successors. When the required meetings
    cannot all be placed (a quota too small for them, say), which of them to leave out is the
    model's choice, and narrowing the others for the order could cost weight."""
    instance = prep.instance
    allowed = prep.allowed
    required = {m for m in candidates if instance.meetings[m].required}
    arcs = [(b, a) for b, a in instance.precedences if b in required and a in required]
    slots = [list(a) for a in allowed]
    for _ in range(len(instance.meetings) + 1):
        changed = False
        for before, after in arcs:
            if not slots[before] or not slots[after]:
                continue
            trimmed_after = [t for t in slots[after] if t > slots[before][0]]
            trimmed_before = [t for t in slots[before] if t < slots[after][-1]]
            if not trimmed_after or not trimmed_before:
                continue  # the pair cannot both be placed: keep each placeable alone, let the MIP choose
            if trimmed_after != slots[after] or trimmed_before != slots[before]:
                slots[after], slots[before] = trimmed_after, trimmed_before
                changed = True
        if not changed:
            break
    return {m: tuple(a) for m, a in enumerate(slots) if tuple(a) != allowed[m]}


def _consistent_locks(
    instance: Instance, locked: dict[int, tuple[int, int]], allowed: tuple[tuple[int, ...], ...]
) -> dict[int, tuple[int, int]]:
    """Locked placements that are valid and clash with no earlier locked one (same person, same
    table, quota, or an order broken); the others cannot be kept, and in LOCKED mode cannot move
    either, so they end up unscheduled."""
    kept: dict[int, tuple[int, int]] = {}
    after: dict[int, list[int]] = {}
    before: dict[int, list[int]] = {}
    for b, a in instance.precedences:
        after.setdefault(b, []).append(a)
        before.setdefault(a, []).append(b)
    persons_at: set[tuple[int, int]] = set()
    tables_at: set[tuple[int, int]] = set()
    used: dict[tuple[str, int], int] = {}
    used_on_day: dict[tuple[str, int, int], int] = {}
    for m, (slot, table) in sorted(locked.items()):
        meeting = instance.meetings[m]
        if slot not in allowed[m] or not 0 <= table < len(instance.tables):
            continue
        if not table_fits(instance.tables[table], meeting, slot) or (table, slot) in tables_at:
            continue
        if any((p, slot) in persons_at for p in meeting.participants):
            continue
        if any(a in kept and kept[a][0] <= slot for a in after.get(m, ())) or any(
            b in kept and kept[b][0] >= slot for b in before.get(m, ())
        ):
            continue
        if any(
            used.get(("p", p), 0) >= instance.max_meetings.get(p, 10**9) for p in set(meeting.participants)
        ):
            continue
        if any(
            used.get(("c", c), 0) >= instance.company_max_meetings.get(c, 10**9)
            for c in set(meeting.companies)
        ):
            continue
        day = instance.slots[slot].day
        if any(
            used_on_day.get((kind, who, day), 0) >= quotas.get(who, 10**9)
            for kind, who, quotas in _day_quotas(instance, meeting)
        ):
            continue
        for key in [("p", p) for p in set(meeting.participants)] + [("c", c) for c in set(meeting.companies)]:
            used[key] = used.get(key, 0) + 1
        for kind, who, _ in _day_quotas(instance, meeting):
            used_on_day[kind, who, day] = used_on_day.get((kind, who, day), 0) + 1
        kept[m] = (slot, table)
        tables_at.add((table, slot))
        persons_at.update((p, slot) for p in meeting.participants)
    return kept


def _day_quotas(instance: Instance, meeting: Meeting) -> list[tuple[str, int, dict[int, int]]]:
    return [("p", p, instance.day_max_meetings) for p in set(meeting.participants)] + [
        ("c", c, instance.company_day_max_meetings) for c in set(meeting.companies)
    ]


def _allowed_slots(
    instance: Instance, meeting: Meeting, locked: dict[int, tuple[int, int]]
) -> tuple[int, ...]:
    if meeting.index in locked:
        return (locked[meeting.index][0],)
    result: list[int] = []
    for slot in instance.slots:
        t = slot.index
        if meeting.sessions is not None and slot.session not in meeting.sessions:
            continue
        if meeting.fixed_slot is not None and t != meeting.fixed_slot:
            continue
        if any(t in instance.forbidden.get(person, frozenset()) for person in meeting.participants):
            continue
        if not any(table_fits(table, meeting, t) for table in instance.tables):
            continue
        result.append(t)
    return tuple(result)
