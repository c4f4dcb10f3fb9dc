"""A checked schedule's statistics, as the run shows them: placed / requested, bound and gap, the
unscheduled requests with their reasons, breaks per participant and each type's share placed. Pure."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any


def _breaks(slots: list[int], days: list[int]) -> int:
    """Idle runs between two meetings of one person on the same day."""
    ordered = sorted(slots)
    return sum(1 for a, b in itertools.pairwise(ordered) if days[a] == days[b] and b - a > 1)


def statistics(
    problem: Mapping[str, Any], schedule: Mapping[str, Any], key: Mapping[str, Any], types: Mapping[str, str]
) -> dict[str, Any]:
    """``types``: registration id -> participation type."""
    meetings = problem["meetings"]
    days = [s["day"] for s in problem["slots"]]
    per_person: dict[int, list[int]] = {p: [] for p in range(len(key["participants"]))}
    placed_by_type: dict[str, int] = {}
    requested_by_type: dict[str, int] = {}
    for m in meetings:
        for company in m["companies"]:
            t = types.get(key["companies"][company], "")
            requested_by_type[t] = requested_by_type.get(t, 0) + 1
    for placement in schedule["placements"]:
        meeting = meetings[placement["meeting"]]
        for person in meeting["participants"]:
            per_person.setdefault(person, []).append(placement["slot"])
        for company in meeting["companies"]:
            t = types.get(key["companies"][company], "")
            placed_by_type[t] = placed_by_type.get(t, 0) + 1
    breaks = [_breaks(s, days) for s in per_person.values()] or [0]
    weight_stage = next((s for s in schedule["stages"] if s["name"] == "weight"), None)
    return {
        "placed": len(schedule["placements"]),
        "requested": len(meetings),
        "bound": schedule["upper_bound"],
        "gap": weight_stage["gap"] if weight_stage else None,
        "unscheduled": [
            {"request_id": key["requests"][u["meeting"]], "reason": u["reason"]}
            for u in schedule["unscheduled"]
        ],
        "breaks": {"min": min(breaks), "mean": round(sum(breaks) / len(breaks), 3), "max": max(breaks)},
        "share_by_type": {
            t: round(placed_by_type.get(t, 0) / n, 4) for t, n in sorted(requested_by_type.items()) if n
        },
    }
