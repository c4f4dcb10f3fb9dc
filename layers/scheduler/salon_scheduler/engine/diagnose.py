"""Why a meeting is not in the schedule, checked against the final timetable."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..instance import Unscheduled, UnscheduledReason
from .day_quotas import day_quota_reached
from .prepare import Prepared, pinned


@dataclass
class Loads:
    """Per-person and per-company counts of a placement, computed once for many explanations."""

    counts: dict[int, int] = field(default_factory=dict)
    company_counts: dict[int, int] = field(default_factory=dict)
    busy: dict[int, set[int]] = field(default_factory=dict)
    per_slot: dict[int, int] = field(default_factory=dict)


def placement_loads(prep: Prepared, placement: dict[int, int]) -> Loads:
    instance = prep.instance
    loads = Loads()
    for other, t in placement.items():
        for p in set(instance.meetings[other].participants):
            loads.counts[p] = loads.counts.get(p, 0) + 1
            loads.busy.setdefault(p, set()).add(t)
        for c in set(instance.meetings[other].companies):
            loads.company_counts[c] = loads.company_counts.get(c, 0) + 1
        loads.per_slot[t] = loads.per_slot.get(t, 0) + 1
    return loads


def impossible_alone(prep: Prepared, m: int) -> Unscheduled | None:
    """Reasons that hold whatever else is scheduled."""
    instance = prep.instance
    meeting = instance.meetings[m]
    if prep.allowed[m]:
        return None
    if pinned(instance, meeting):
        return Unscheduled(m, UnscheduledReason.LOWER_PRIORITY, "its locked place is invalid or taken")
    open_slots = [
        s.index
        for s in instance.slots
        if (meeting.sessions is None or s.session in meeting.sessions)
        and (meeting.fixed_slot is None or s.index == meeting.fixed_slot)
        and not any(s.index in instance.forbidden.get(p, frozenset()) for p in meeting.participants)
    ]
    ordered = any(m in pair for pair in instance.precedences)
    if open_slots and ordered:
        return Unscheduled(m, UnscheduledReason.PRECEDENCE, "required ordering leaves no usable slot")
    if open_slots:
        return Unscheduled(m, UnscheduledReason.NO_TABLE, "no table fits in any common free slot")
    return Unscheduled(m, UnscheduledReason.NO_COMMON_FREE_SLOT, "availabilities never coincide")


def explain(
    prep: Prepared, m: int, placement: dict[int, int], homeless: set[int], loads: Loads | None = None
) -> Unscheduled:
    instance = prep.instance
    meeting = instance.meetings[m]
    alone = impossible_alone(prep, m)
    if alone is not None:
        return alone
    if m in homeless:
        return Unscheduled(m, UnscheduledReason.NO_TABLE, "no table left in its slot")
    predecessors = [b for b, a in instance.precedences if a == m and b in placement]
    loads = loads or placement_loads(prep, placement)
    counts, company_counts, busy = loads.counts, loads.company_counts, loads.busy
    for p in meeting.participants:
        quota = instance.max_meetings.get(p)
        if quota is not None and counts.get(p, 0) >= quota:
            return Unscheduled(
                m, UnscheduledReason.QUOTA_REACHED, f"participant {p} reached {quota} meetings"
            )
    for c in meeting.companies:
        quota = instance.company_max_meetings.get(c)
        if quota is not None and company_counts.get(c, 0) >= quota:
            return Unscheduled(m, UnscheduledReason.QUOTA_REACHED, f"company {c} reached {quota} meetings")
    common = [t for t in prep.allowed[m] if not any(t in busy.get(p, set()) for p in meeting.participants)]
    daily = day_quota_reached(prep, m, placement, common)
    if daily is not None:
        return Unscheduled(m, UnscheduledReason.QUOTA_REACHED, daily)
    if not common:
        full = [p for p in meeting.participants if all(t in busy.get(p, set()) for t in prep.allowed[m])]
        detail = f"participant {full[0]} has no free slot left" if full else "no slot where all are free"
        return Unscheduled(m, UnscheduledReason.PARTICIPANT_FULL, detail)
    if predecessors or any(b == m for b, _ in instance.precedences):
        # free slots exist but none respects the ordering with the placed meetings
        earliest = max((placement[b] + 1 for b in predecessors), default=0)
        successors = [placement[a] for b, a in instance.precedences if b == m and a in placement]
        latest = min(successors, default=prep.n_slots) - 1
        if not any(earliest <= t <= latest for t in common):
            return Unscheduled(m, UnscheduledReason.PRECEDENCE, "no free slot respects the ordering")
    per_slot = loads.per_slot
    if all(per_slot.get(t, 0) >= _open_tables(prep, m, t) for t in common):
        return Unscheduled(m, UnscheduledReason.NO_TABLE, "every suitable table is taken when all are free")
    return Unscheduled(m, UnscheduledReason.LOWER_PRIORITY, "displaced by heavier or fairer choices")


def _open_tables(prep: Prepared, m: int, t: int) -> int:
    meeting = prep.instance.meetings[m]
    return sum(
        1
        for table in prep.instance.tables
        if t not in table.unavailable_slots and table.capacity >= len(meeting.participants)
    )
