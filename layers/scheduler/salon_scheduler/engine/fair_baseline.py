"""The round-robin baseline as a floor under the fairness cap. The weight stage chooses its meetings
without looking at the cap; the cap pass moves or removes them and then adds back, one at a time,
those that fit within the cap, but a set chosen for weight may leave no fair room for as much as the
baseline places (a cap of 0 in a busy slot grid). A baseline the validator accepts is a schedule the
engine may return, so it is kept when it places more required meetings, or as many and more weight."""

from __future__ import annotations

from collections.abc import Iterable

from ..greedy import greedy
from ..instance import Instance, Placement
from ..validate import Violation, validate


def better_fair_baseline(instance: Instance, placements: list[Placement]) -> list[Placement] | None:
    """The baseline's placements if it is valid (within the cap) and ranks above `placements`."""
    baseline = list(greedy(instance).placements)
    if _rank(instance, baseline) <= _rank(instance, placements):
        return None
    problems = validate(instance, baseline).problems
    return baseline if all(p.kind == Violation.REQUIRED_UNPLACED for p in problems) else None


def _rank(instance: Instance, placements: Iterable[Placement]) -> tuple[int, int]:
    """(required meetings placed, weight placed): the engine's first objective."""
    placed = [instance.meetings[p.meeting] for p in placements]
    return sum(1 for m in placed if m.required), sum(m.weight for m in placed)
