"""Meetings left without a table (the per-slot capacity rows are necessary conditions only) get a
second chance: another slot where all participants are free, quotas allow and a table fits, chosen
to add the fewest breaks (none past the fairness cap if possible)."""

from __future__ import annotations

import itertools

from ..instance import Placement
from .prepare import Prepared
from .slot_state import SlotState


def reinsert(
    prep: Prepared, placements: list[Placement], homeless: list[int]
) -> tuple[list[Placement], list[int]]:
    """Placements with as many homeless meetings added as fit; the rest stay homeless. Meetings with
    precedences are left out (moving them could break the ordering)."""
    ordered = {m for pair in prep.instance.precedences for m in pair}
    state = SlotState(prep)
    for p in placements:
        state.place(p.meeting, p.slot, p.table)
    result = list(placements)
    left: list[int] = []
    weight = {m: prep.instance.meetings[m].weight for m in homeless}
    for m in sorted(homeless, key=lambda m: (-weight[m], m)):
        options = (
            [] if m in ordered or m in prep.locked else [t for t in prep.allowed[m] if state.can_place(m, t)]
        )
        slot = min(options, key=lambda t: _insertion_cost(state, m, t), default=None)
        table = None if slot is None else state.pick_table(m, slot)
        if slot is None or table is None:
            left.append(m)
            continue
        state.place(m, slot, table)
        result.append(Placement(m, slot, table))
    return result, left


def _insertion_cost(state: SlotState, m: int, t: int) -> tuple[int, int, int, int]:
    """(breaks pushed past the fairness cap, breaks added, fewer neighbours, slot)."""
    prep = state.prep
    cap = prep.instance.break_fairness
    over = added = 0
    for person in prep.instance.meetings[m].participants:
        before = _breaks(prep, state.busy[person])
        after = _breaks(prep, state.busy[person] | {t})
        added += after - before
        over += max(0, after - cap) - max(0, before - cap)
    return over, added, -state.adjacency(m, t), t


def _breaks(prep: Prepared, slots: set[int]) -> int:
    timetable = prep.instance.slots
    return sum(
        1 for a, b in itertools.pairwise(sorted(slots)) if b > a + 1 and timetable[a].day == timetable[b].day
    )
