"""The fairness cap as a hard constraint: the break search only prices unfairness (a start it cannot
make fair is still accepted), and the table repair may add breaks, so when the problem sets a cap the
schedule is made to meet it at the end, whatever time the earlier stages took.

A person is over when their breaks exceed the fewest anyone has plus the cap. While someone is, the
pass first moves one of their meetings to another slot where everyone in it is free and a table
fits, if that lowers the total excess (no meeting is lost); failing that, for the over person with
the most breaks, it makes the cheapest change that lowers the excess: a move that evicts the
removable meetings in its way, or the removal of one of their own (least excess, then least
weight). Required, fixed-slot and locked meetings are never removed (locked and fixed ones never
move either), so they can leave someone over: a person still above the breaks those meetings make
among themselves (their floor) loses their other meetings one by one until they are not. Moves
lower the excess and removals the number of meetings, so the pass ends, and it ends with every
person within the cap or at most at their floor: the rule the validator checks."""

from __future__ import annotations

from collections.abc import Iterator

from ..instance import Placement
from .cap_state import CapState, Change, must_stay
from .prepare import Prepared


def enforce_cap(prep: Prepared, placements: list[Placement]) -> tuple[list[Placement], list[int]]:
    """(the placements kept, the meetings removed for fairness)."""
    cap = prep.instance.break_fairness
    if cap is None:
        return placements, []
    state = CapState(prep, placements, cap)
    removed: list[int] = []
    while (change := _free_move(state) or _costly_change(state)) is not None:
        removed += state.apply(change)
    return state.placements(), sorted(removed)


def _over(state: CapState) -> list[int]:
    """Persons above the cap, most breaks first."""
    limit = state.limit()
    over = [person for person, breaks in enumerate(state.breaks) if breaks > limit]
    return sorted(over, key=lambda person: (-state.breaks[person], person))


def _free_move(state: CapState) -> Change | None:
    """The move of an over person's meeting, evicting no one, that lowers the excess most (then the
    breaks)."""
    now = state.excess()
    options: list[tuple[tuple[int, int, int, int], Change]] = []
    for person in _over(state):
        for change in _moves(state, person, evicting=False):
            excess, _, breaks = state.outcome(change)
            if excess < now:
                options.append(((excess, breaks, change.meeting, _slot(change)), change))
    return min(options, key=lambda option: option[0])[1] if options else None


def _costly_change(state: CapState) -> Change | None:
    """For the over person with the most breaks who has one, the change costing least weight among
    those that lower the excess most; above their floor, any removal of theirs qualifies."""
    now = state.excess()
    for person in _over(state):
        above_floor = state.breaks[person] > max(state.limit(), state.floor(person))
        options: list[tuple[tuple[int, int, int, int, int], Change]] = []
        for change in [*_moves(state, person, evicting=True), *_removals(state, person)]:
            excess, weight, breaks = state.outcome(change)
            if excess < now or (above_floor and change.to is None):
                options.append(((excess, weight, breaks, change.meeting, _slot(change)), change))
        if options:
            return min(options, key=lambda option: option[0])[1]
    return None


def _removals(state: CapState, person: int) -> Iterator[Change]:
    for m in state.prep.meetings_of_person[person]:
        if m in state.placed and not must_stay(state.prep, m):
            yield Change(m)


def _moves(state: CapState, person: int, *, evicting: bool) -> Iterator[Change]:
    """The person's meetings to other slots they may take; `evicting`: the moves that need
    removable meetings out of the way first, else those that need none."""
    prep = state.prep
    for m in prep.meetings_of_person[person]:
        if m not in state.placed or m in prep.locked:
            continue
        for t in prep.allowed[m]:
            held = {state.holder.get((q, t)) for q in prep.instance.meetings[m].participants}
            blockers = tuple(sorted(b for b in held if b is not None))
            if t == state.placed[m].slot or evicting != bool(blockers):
                continue
            if any(must_stay(prep, b) for b in blockers):
                continue
            if (table := state.seat(m, t, blockers)) is not None:
                yield Change(m, Placement(m, t, table), blockers)


def _slot(change: Change) -> int:
    return -1 if change.to is None else change.to.slot
