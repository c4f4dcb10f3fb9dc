"""A fast constructive placement used as the MIP warm start and as the fallback answer."""

from __future__ import annotations

from collections.abc import Mapping

from .prepare import Prepared
from .slot_state import SlotState


def greedy_placement(prep: Prepared, candidates: list[int], pinned: Mapping[int, int]) -> dict[int, int]:
    """Heaviest and most constrained meetings first; each takes the slot that best extends its
    participants' runs of meetings, so the start is already compact."""
    instance = prep.instance
    state = SlotState(prep)
    placement: dict[int, int] = {}
    for m, t in pinned.items():
        state.place(m, t, prep.locked[m][1] if m in prep.locked else None)
        placement[m] = t
    predecessors: dict[int, list[int]] = {}
    for before, after in instance.precedences:
        predecessors.setdefault(after, []).append(before)
    order = sorted(
        (m for m in candidates if m not in pinned),
        key=lambda m: (
            not instance.meetings[m].required,
            -instance.meetings[m].weight,
            len(prep.allowed[m]),
            m,
        ),
    )
    successors: dict[int, list[int]] = {}
    for before, after in instance.precedences:
        successors.setdefault(before, []).append(after)
    for m in _respecting_precedence(order, predecessors):
        earliest = max((placement[b] + 1 for b in predecessors.get(m, []) if b in placement), default=0)
        latest = min(
            (placement[a] - 1 for a in successors.get(m, []) if a in placement), default=prep.n_slots
        )
        best: tuple[int, int] | None = None
        for t in prep.allowed[m]:
            if not earliest <= t <= latest or not state.can_place(m, t):
                continue
            score = -state.adjacency(m, t)
            if best is None or (score, t) < best:
                best = (score, t)
        if best is not None:
            state.place(m, best[1])
            placement[m] = best[1]
    return placement


def _respecting_precedence(order: list[int], predecessors: dict[int, list[int]]) -> list[int]:
    """Stable reordering so every meeting comes after its predecessors (cycles keep input order)."""
    result: list[int] = []
    seen: set[int] = set()
    on_path: set[int] = set()
    in_order = set(order)

    def visit(m: int) -> None:
        if m in seen or m in on_path:
            return
        on_path.add(m)
        for before in predecessors.get(m, []):
            if before in in_order:
                visit(before)
        on_path.discard(m)
        seen.add(m)
        result.append(m)

    for m in order:
        visit(m)
    return result
