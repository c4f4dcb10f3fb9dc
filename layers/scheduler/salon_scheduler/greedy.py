"""The baseline commercial matchmaking tools use: companies take turns, each placing its heaviest
remaining request at the earliest slot where everyone is free and a table is left.

Meetings locked by an earlier run go first, then required and fixed-slot meetings, then the
round robin. Every placement respects every hard constraint the validator checks.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from salon_scheduler.instance import (
    Instance,
    Meeting,
    Mode,
    Placement,
    Schedule,
    StageReport,
    StageStatus,
    Unscheduled,
    UnscheduledReason,
)


@dataclass
class _TableClass:
    """Interchangeable tables: same capacity, owner and closures. Keeps the table search cheap."""

    capacity: int
    dedicated_company: int | None
    unavailable_slots: frozenset[int]
    free: list[set[int]]  # per slot, the free tables of this class


@dataclass
class _State:
    instance: Instance
    classes: list[_TableClass]
    slot_of: dict[int, int] = field(default_factory=dict)
    placements: dict[int, Placement] = field(default_factory=dict)
    busy: set[tuple[int, int]] = field(default_factory=set)  # (person, slot)
    person_load: Counter[int] = field(default_factory=Counter)
    company_load: Counter[int] = field(default_factory=Counter)
    before: dict[int, list[int]] = field(default_factory=dict)  # meeting -> meetings that precede it
    after: dict[int, list[int]] = field(default_factory=dict)


def _table_classes(instance: Instance) -> list[_TableClass]:
    by_key: dict[tuple[int, int | None, frozenset[int]], _TableClass] = {}
    for table in instance.tables:
        key = (table.capacity, table.dedicated_company, table.unavailable_slots)
        if key not in by_key:
            free: list[set[int]] = [set() for _ in instance.slots]
            by_key[key] = _TableClass(table.capacity, table.dedicated_company, table.unavailable_slots, free)
        for slot in range(len(instance.slots)):
            if slot not in table.unavailable_slots:
                by_key[key].free[slot].add(table.index)
    return list(by_key.values())


def _usable_classes(state: _State, meeting: Meeting) -> list[_TableClass]:
    """Own dedicated tables first, then the smallest shared tables that seat everyone."""
    usable = [
        c
        for c in state.classes
        if c.capacity >= len(meeting.participants)
        and (c.dedicated_company is None or c.dedicated_company in meeting.companies)
    ]
    return sorted(usable, key=lambda c: (c.dedicated_company is None, c.capacity))


def statically_possible_slots(instance: Instance, meeting: Meeting) -> list[int]:
    """Slots the meeting could take in an empty schedule: sessions, fixed slot, forbidden slots."""
    slots = []
    for slot in instance.slots:
        if meeting.sessions is not None and slot.session not in meeting.sessions:
            continue
        if meeting.fixed_slot is not None and slot.index != meeting.fixed_slot:
            continue
        if any(slot.index in instance.forbidden.get(p, frozenset()) for p in meeting.participants):
            continue
        slots.append(slot.index)
    return slots


def _quota_reached(state: _State, meeting: Meeting) -> bool:
    instance = state.instance
    return any(
        p in instance.max_meetings and state.person_load[p] >= instance.max_meetings[p]
        for p in meeting.participants
    ) or any(
        c in instance.company_max_meetings and state.company_load[c] >= instance.company_max_meetings[c]
        for c in set(meeting.companies)
    )


def _order_allows(state: _State, meeting: int, slot: int) -> bool:
    return all(state.slot_of.get(b, -1) < slot for b in state.before.get(meeting, ())) and all(
        state.slot_of.get(a, len(state.instance.slots)) > slot for a in state.after.get(meeting, ())
    )


def _free_table(classes: list[_TableClass], slot: int) -> int | None:
    for table_class in classes:
        if table_class.free[slot]:
            return min(table_class.free[slot])
    return None


def _place(state: _State, meeting: Meeting, slot: int, table: int) -> None:
    for table_class in state.classes:
        table_class.free[slot].discard(table)
    state.slot_of[meeting.index] = slot
    state.placements[meeting.index] = Placement(meeting.index, slot, table)
    state.busy.update((p, slot) for p in meeting.participants)
    state.person_load.update(meeting.participants)
    state.company_load.update(set(meeting.companies))


def _try_place(state: _State, meeting: Meeting, slots: list[int]) -> UnscheduledReason | None:
    """Place at the earliest feasible slot; on failure, say why."""
    if _quota_reached(state, meeting):
        return UnscheduledReason.QUOTA_REACHED
    if not slots:
        return UnscheduledReason.NO_COMMON_FREE_SLOT
    classes = _usable_classes(state, meeting)
    people_free = ordered = False
    for slot in slots:
        if any((p, slot) in state.busy for p in meeting.participants):
            continue
        people_free = True
        if not _order_allows(state, meeting.index, slot):
            continue
        ordered = True
        table = _free_table(classes, slot)
        if table is not None:
            _place(state, meeting, slot, table)
            return None
    if not people_free:
        n_slots = len(state.instance.slots)
        if any(sum((p, s) in state.busy for s in range(n_slots)) == n_slots for p in meeting.participants):
            return UnscheduledReason.PARTICIPANT_FULL
        return UnscheduledReason.LOWER_PRIORITY
    return UnscheduledReason.NO_TABLE if ordered else UnscheduledReason.PRECEDENCE


def _keep_existing(state: _State, meeting: Meeting, existing: Placement, possible: list[int]) -> bool:
    slot, table = existing.slot, existing.table
    table_is_free = any(table in c.free[slot] for c in _usable_classes(state, meeting))
    if not (slot in possible and table_is_free and _order_allows(state, meeting.index, slot)):
        return False
    if _quota_reached(state, meeting) or any((p, slot) in state.busy for p in meeting.participants):
        return False
    _place(state, meeting, slot, table)
    return True


def _round_robin(instance: Instance) -> Iterator[Meeting]:
    """Companies in turn, each yielding its heaviest request not yet handed out."""
    queues: dict[int, list[Meeting]] = {}
    for meeting in sorted(instance.meetings, key=lambda m: (-m.weight, m.index)):
        for company in dict.fromkeys(meeting.companies):
            queues.setdefault(company, []).append(meeting)
    cursors = dict.fromkeys(queues, 0)
    handed_out: set[int] = set()
    while cursors:
        for company in sorted(cursors):
            queue = queues[company]
            while cursors[company] < len(queue) and queue[cursors[company]].index in handed_out:
                cursors[company] += 1
            if cursors[company] == len(queue):
                del cursors[company]
                continue
            meeting = queue[cursors[company]]
            handed_out.add(meeting.index)
            yield meeting


def greedy(instance: Instance) -> Schedule:
    started = time.perf_counter()
    state = _State(instance, _table_classes(instance))
    for before, after in instance.precedences:
        state.before.setdefault(after, []).append(before)
        state.after.setdefault(before, []).append(after)
    possible = {m.index: statically_possible_slots(instance, m) for m in instance.meetings}

    failures: dict[int, UnscheduledReason] = {}
    handled: set[int] = set()
    if instance.mode != Mode.FROM_SCRATCH:
        for meeting in instance.meetings:
            if meeting.existing is None:
                continue
            if _keep_existing(state, meeting, meeting.existing, possible[meeting.index]):
                handled.add(meeting.index)
            elif instance.mode == Mode.LOCKED:  # placing it elsewhere would move a locked meeting
                handled.add(meeting.index)
                failures[meeting.index] = UnscheduledReason.LOWER_PRIORITY

    urgent = [m for m in instance.meetings if m.required or m.fixed_slot is not None]
    urgent.sort(key=lambda m: (not m.required, -m.weight, m.index))
    for meeting in [*urgent, *_round_robin(instance)]:
        if meeting.index in handled:
            continue
        handled.add(meeting.index)
        reason = _try_place(state, meeting, possible[meeting.index])
        if reason is not None:
            failures[meeting.index] = reason

    upper_bound = float(sum(m.weight for m in instance.meetings if possible[m.index]))
    placed_weight = float(sum(instance.meetings[m].weight for m in state.placements))
    seconds = time.perf_counter() - started
    return Schedule(
        instance=instance.name,
        placements=tuple(sorted(state.placements.values(), key=lambda p: p.meeting)),
        unscheduled=tuple(Unscheduled(m, reason) for m, reason in sorted(failures.items())),
        stages=(StageReport("weight", StageStatus.HEURISTIC, placed_weight, upper_bound, seconds),),
        upper_bound=upper_bound,
        seconds=seconds,
    )
