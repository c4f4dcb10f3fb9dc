"""Meetings left without a table (the per-slot capacity rows are necessary conditions only) get a
second chance: any other slot where all participants are free, quotas allow and a table fits."""

from __future__ import annotations

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
        slot = (
            None
            if m in ordered or m in prep.locked
            else next((t for t in prep.allowed[m] if state.can_place(m, t)), None)
        )
        table = None if slot is None else state.pick_table(m, slot)
        if slot is None or table is None:
            left.append(m)
            continue
        state.place(m, slot, table)
        result.append(Placement(m, slot, table))
    return result, left
