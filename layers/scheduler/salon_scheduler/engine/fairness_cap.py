"""The fairness cap as a hard constraint: the break search only prices unfairness (a start it cannot
make fair is still accepted), and the table repair may add breaks, so when the problem sets a cap the
schedule is made to meet it at the end by leaving meetings out.

While some person's breaks exceed the fewest anyone has by more than the cap, the one of them with
the most breaks loses one of their meetings: the one whose removal lowers their breaks and adds the
least excess to its other participants, lightest first. Every turn removes a meeting and a schedule
without meetings is fair, so this ends; only locked, required and fixed-slot meetings are never
removed (a schedule that cannot be made fair without them is left for the validator to refuse)."""

from __future__ import annotations

from ..instance import Placement
from .prepare import Prepared
from .repair import person_breaks


def enforce_cap(prep: Prepared, placements: list[Placement]) -> tuple[list[Placement], list[int]]:
    """(the placements kept, the meetings removed for fairness)."""
    cap = prep.instance.break_fairness
    if cap is None:
        return placements, []
    meetings = prep.instance.meetings
    protected = {m.index for m in meetings if m.required or m.fixed_slot is not None} | set(prep.locked)
    kept = {p.meeting: p for p in placements}
    busy: list[set[int]] = [set() for _ in range(prep.n_persons)]
    for p in placements:
        for person in meetings[p.meeting].participants:
            busy[person].add(p.slot)
    breaks = [person_breaks(prep, slots) for slots in busy]
    removed: list[int] = []
    while breaks:
        limit = min(breaks) + cap
        removable = {
            person: choices
            for person in range(prep.n_persons)
            if breaks[person] > limit
            and (choices := [m for m in prep.meetings_of_person[person] if m in kept and m not in protected])
        }
        if not removable:
            break
        worst = max(removable, key=breaks.__getitem__)
        choices = removable[worst]
        costs = {m: _removal_cost(prep, busy, breaks, kept[m], worst, limit) for m in choices}
        m = min(choices, key=costs.__getitem__)
        slot = kept.pop(m).slot
        removed.append(m)
        for person in meetings[m].participants:
            busy[person].discard(slot)
            breaks[person] = person_breaks(prep, busy[person])
    return sorted(kept.values(), key=lambda p: (p.slot, p.table)), removed


def _removal_cost(
    prep: Prepared, busy: list[set[int]], breaks: list[int], placed: Placement, worst: int, limit: int
) -> tuple[int, int, int, int]:
    """(change in the worst person's breaks, excess added to the others, weight, meeting)."""
    meeting = prep.instance.meetings[placed.meeting]
    after = {q: person_breaks(prep, busy[q] - {placed.slot}) for q in meeting.participants}
    excess = sum(max(0, after[q] - limit) - max(0, breaks[q] - limit) for q in after)
    return after[worst] - breaks[worst], excess, meeting.weight, placed.meeting
