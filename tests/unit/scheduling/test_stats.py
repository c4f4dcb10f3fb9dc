"""A checked schedule's statistics: placed / requested, unscheduled with reasons, breaks per
participant (min, mean, max) and each participation type's share placed."""

from __future__ import annotations

from typing import Any

from salon.scheduling.domain.stats import statistics

# Slots 0-3 on day 0, slots 4-5 on day 1; companies 0 (buyer), 1 and 2 (sellers).
PROBLEM: dict[str, Any] = {
    "slots": [{"day": 0}] * 4 + [{"day": 1}] * 2,
    "meetings": [
        {"companies": [0, 1], "participants": [0, 1]},
        {"companies": [0, 2], "participants": [0, 2]},
        {"companies": [0, 1], "participants": [0, 1]},
        {"companies": [2, 1], "participants": [2, 1]},
    ],
}
KEY: dict[str, Any] = {
    "participants": ["par_b", "par_s1", "par_s2"],
    "companies": ["reg_b", "reg_s1", "reg_s2"],
    "requests": ["req_0", "req_1", "req_2", "req_3"],
}
TYPES = {"reg_b": "buyer", "reg_s1": "seller", "reg_s2": "seller"}


def schedule(placements: list[tuple[int, int]], unscheduled: list[int]) -> dict[str, Any]:
    return {
        "placements": [{"meeting": m, "slot": s} for m, s in placements],
        "unscheduled": [{"meeting": m, "reason": "no common free slot"} for m in unscheduled],
        "upper_bound": 4,
        "stages": [{"name": "weight", "gap": 0.25}],
    }


def test_placed_requested_bound_gap_and_unscheduled_with_reasons() -> None:
    stats = statistics(PROBLEM, schedule([(0, 0), (1, 2), (2, 4)], [3]), KEY, TYPES)

    assert (stats["placed"], stats["requested"], stats["bound"], stats["gap"]) == (3, 4, 4, 0.25)
    assert stats["unscheduled"] == [{"request_id": "req_3", "reason": "no common free slot"}]


def test_breaks_per_participant_count_idle_runs_within_a_day_only() -> None:
    # par_b meets at 0 and 2 (one break) then at 4 on the next day (no break across days);
    # par_s1 at 0 and 4 (different days: none); par_s2 at 2 only.
    stats = statistics(PROBLEM, schedule([(0, 0), (1, 2), (2, 4)], [3]), KEY, TYPES)

    assert stats["breaks"] == {"min": 0, "mean": 0.333, "max": 1}


def test_share_placed_per_participation_type() -> None:
    # Company sides requested: buyer 3, seller 5; placed: buyer 2 (meetings 0, 1), seller 2.
    stats = statistics(PROBLEM, schedule([(0, 0), (1, 1)], [2, 3]), KEY, TYPES)

    assert stats["share_by_type"] == {"buyer": round(2 / 3, 4), "seller": 0.4}
    assert stats["breaks"] == {"min": 0, "mean": 0.0, "max": 0}


def test_no_weight_stage_means_no_gap() -> None:
    empty = {**schedule([], [0, 1, 2, 3]), "stages": []}

    stats = statistics(PROBLEM, empty, KEY, TYPES)

    assert stats["gap"] is None
    assert stats["placed"] == 0
    assert stats["share_by_type"] == {"buyer": 0.0, "seller": 0.0}
