"""Meetings left without a table (the per-slot capacity rows are necessary conditions only) get a
second chance: another slot where all participants are free, quotas allow and a table fits, chosen
to add the fewest breaks (none past the fairness cap if possible). Failing that, a meeting holding a
table the homeless one could use moves to another slot of its own and hands the table over: weight
ranks above breaks, so a few breaks are worth a meeting kept."""

from __future__ import annotations

import itertools

from ..instance import Placement
from .prepare import Prepared, table_fits
from .slot_state import SlotState


def reinsert(
    prep: Prepared, placements: list[Placement], homeless: list[int]
) -> tuple[list[Placement], list[int]]:
    """Placements with as many homeless meetings added as fit; the rest stay homeless. Meetings with
    precedences are left out (moving them could break the ordering)."""
    ordered = {m for pair in prep.instance.precedences for m in pair}
    fixed = ordered | set(prep.locked) | set(prep.preferred)
    state = SlotState(prep)
    for p in placements:
        state.place(p.meeting, p.slot, p.table)
    result = {p.meeting: p for p in placements}
    left: list[int] = []
    weight = {m: prep.instance.meetings[m].weight for m in homeless}
    for m in sorted(homeless, key=lambda m: (-weight[m], m)):
        options = [] if m in fixed else [t for t in prep.allowed[m] if state.can_place(m, t)]
        slot = min(options, key=lambda t: _insertion_cost(state, m, t), default=None)
        table = None if slot is None else state.pick_table(m, slot)
        if slot is not None and table is not None:
            state.place(m, slot, table)
            result[m] = Placement(m, slot, table)
        elif m in fixed or not _hand_over(state, m, result, fixed):
            left.append(m)
    return sorted(result.values(), key=lambda p: (p.slot, p.table)), left


def _hand_over(state: SlotState, m: int, placed: dict[int, Placement], fixed: set[int]) -> bool:
    """Slots in order of m's insertion cost; in each, the first holder of a table m fits that can
    move to another slot does so (to its cheapest), and m takes the table."""
    prep = state.prep
    meeting = prep.instance.meetings[m]
    if not state.quota_left(m):
        return False
    holder_at = {(p.slot, p.table): p.meeting for p in placed.values()}
    free_slots = [t for t in prep.allowed[m] if not any(t in state.busy[p] for p in meeting.participants)]
    for t in sorted(free_slots, key=lambda t: _insertion_cost(state, m, t)):
        for table in prep.instance.tables:
            other = holder_at.get((t, table.index))
            if other is None or other in fixed or not table_fits(table, meeting, t):
                continue
            state.remove(other, t)
            moves = {
                u: seat
                for u in prep.allowed[other]
                if u != t and state.can_place(other, u) and (seat := state.pick_table(other, u)) is not None
            }
            if not moves:
                state.place(other, t, table.index)
                continue
            u = min(moves, key=lambda u: _insertion_cost(state, other, u))
            state.place(other, u, moves[u])
            state.place(m, t, table.index)
            placed[other] = Placement(other, u, moves[u])
            placed[m] = Placement(m, t, table.index)
            return True
    return False


def _insertion_cost(state: SlotState, m: int, t: int) -> tuple[int, int, int, int]:
    """(breaks pushed past the fairness cap, breaks added, fewer neighbours, slot)."""
    prep = state.prep
    cap = prep.instance.soft_break_cap
    over = added = 0
    for person in prep.instance.meetings[m].participants:
        before = person_breaks(prep, state.busy[person])
        after = person_breaks(prep, state.busy[person] | {t})
        added += after - before
        over += max(0, after - cap) - max(0, before - cap)
    return over, added, -state.adjacency(m, t), t


def person_breaks(prep: Prepared, slots: set[int]) -> int:
    timetable = prep.instance.slots
    return sum(
        1 for a, b in itertools.pairwise(sorted(slots)) if b > a + 1 and timetable[a].day == timetable[b].day
    )
