"""The fairness cap as a hard constraint: the break search only prices unfairness (a start it cannot
make fair is still accepted), and the table repair may add breaks, so when the problem sets a cap the
schedule is made to meet it at the end, whatever time the earlier stages took.

A person is over when their breaks exceed the fewest anyone has plus the cap. Taking the over persons
from the most breaks down, the first one for whom a change helps gets it: a move of one of their
meetings to a slot where everyone in it is free and a table fits, if that lowers the total excess (no
meeting is lost); failing that, the change that lowers the excess most for the least weight: a move
that evicts the removable meetings in its way, or the removal of one of their own. Required,
fixed-slot and locked meetings are never removed (fixed and locked ones never move either), so they
can leave someone over: a person still above the breaks those meetings make among themselves (their
floor) loses their other meetings one by one until they are not. Moves lower the excess and removals
the number of meetings, so the pass ends, and it ends with every person within the cap or at most at
their floor: the rule the validator checks. If it removed meetings, the unplaced ones then come back
where they keep everyone within the cap (or change nobody's breaks), so the rule still holds."""

from __future__ import annotations

from collections.abc import Iterator

from ..instance import Placement
from .cap_state import CapState, Change, must_stay
from .prepare import Prepared

Option = tuple[tuple[int, ...], Change]


def enforce_cap(prep: Prepared, placements: list[Placement]) -> tuple[list[Placement], list[int]]:
    """(the placements kept, the meetings removed for fairness)."""
    cap = prep.instance.break_fairness
    if cap is None:
        return placements, []
    state = CapState(prep, placements, cap)
    removed: list[int] = []
    while (chosen := _next_change(state)) is not None:
        removed += state.apply(*chosen)
    added = _refill(state) if removed else set()
    return state.placements(), sorted(set(removed) - added)


def _refill(state: CapState) -> set[int]:
    """Unplaced meetings (required, then heaviest first) added where they keep everyone within the
    cap, each at the slot that leaves its participants the fewest breaks; returns those added."""
    prep = state.prep
    meetings = prep.instance.meetings
    added: set[int] = set()
    waiting = sorted(
        (m.index for m in meetings if m.index not in state.placed and m.index not in prep.locked),
        key=lambda m: (not meetings[m].required, -meetings[m].weight, m),
    )
    for m in waiting:
        seats = {t: seat for t in prep.allowed[m] if (seat := state.seat_added(m, t)) is not None}
        if seats:
            t = min(seats, key=lambda t: (seats[t][1], t))
            state.add(m, t, seats[t][0])
            added.add(m)
    return added


def _next_change(state: CapState) -> tuple[Change, int | None] | None:
    """The change to make and, for a move, the table it takes; None when no change helps."""
    now, limit = state.excess(), state.limit()
    over = sorted(
        (person for person, breaks in enumerate(state.breaks) if breaks > limit),
        key=lambda person: (-state.breaks[person], person),
    )
    for person in over:
        free: list[Option] = []
        for change in _moves(state, person, evicting=False):
            excess, _, breaks = state.outcome(change)
            if excess < now:
                free.append(((excess, breaks, change.meeting, _slot(change)), change))
        if (chosen := _first_possible(state, free)) is not None:
            return chosen
        above_floor = state.breaks[person] > max(limit, state.floor(person))
        costly: list[Option] = []
        for change in [*_moves(state, person, evicting=True), *_removals(state, person)]:
            excess, weight, breaks = state.outcome(change)
            if excess < now or (above_floor and change.slot is None):
                costly.append(((excess, weight, breaks, change.meeting, _slot(change)), change))
        if (chosen := _first_possible(state, costly)) is not None:
            return chosen
    return None


def _first_possible(state: CapState, options: list[Option]) -> tuple[Change, int | None] | None:
    """The best-ranked option that can be made: a removal, or a move with a table to take."""
    for _, change in sorted(options, key=lambda option: option[0]):
        if change.slot is None:
            return change, None
        if (table := state.seat(change)) is not None:
            return change, table
    return None


def _removals(state: CapState, person: int) -> Iterator[Change]:
    for m in state.prep.meetings_of_person[person]:
        if m in state.placed and not must_stay(state.prep, m):
            yield Change(m)


def _moves(state: CapState, person: int, *, evicting: bool) -> Iterator[Change]:
    """The person's meetings to other slots they may take; `evicting`: the moves that need
    removable meetings out of the way first, else those that need none. Tables and quotas are
    checked later (CapState.seat), for the moves worth making."""
    prep = state.prep
    for m in prep.meetings_of_person[person]:
        if m not in state.placed or m in prep.locked:
            continue
        for t in prep.allowed[m]:
            held = {state.holder.get((q, t)) for q in prep.instance.meetings[m].participants}
            blockers = tuple(sorted(b for b in held if b is not None))
            if t == state.placed[m].slot or evicting != bool(blockers):
                continue
            if not any(must_stay(prep, b) for b in blockers):
                yield Change(m, t, blockers)


def _slot(change: Change) -> int:
    return -1 if change.slot is None else change.slot
