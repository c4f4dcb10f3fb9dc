"""A cheap upper bound on the total weight, from a model that chooses meetings but not slots.

Any schedule's set of placed meetings satisfies these rows, so the relaxation's optimum bounds the
weight of every schedule: each person meets at most once per usable slot and within quota, each
company within quota, and each size class (and each session restriction) fits the tables open over
the slots it may use."""

from __future__ import annotations

import math
from typing import NamedTuple

from .capacity import dedicated_companies
from .mip import Mip
from .prepare import Prepared


def capacity_limits(prep: Prepared, candidates: list[int]) -> list[tuple[list[int], int]]:
    """(meetings, limit) pairs: at most `limit` of `meetings` can be placed, whatever the slots."""
    instance = prep.instance
    rows: list[tuple[list[int], int]] = []
    chosen = set(candidates)
    for person, meetings in enumerate(prep.meetings_of_person):
        mine = [m for m in meetings if m in chosen]
        usable = len({t for m in mine for t in prep.allowed[m]})
        limit = min(usable, instance.max_meetings.get(person, usable))
        if len(mine) > limit:
            rows.append((mine, limit))
    for company, quota in instance.company_max_meetings.items():
        members = [m for m in candidates if company in instance.meetings[m].companies]
        if len(members) > quota:
            rows.append((members, quota))
    dedicated = dedicated_companies(instance)
    windows = {frozenset(prep.allowed[m]) for m in candidates}
    window_sets = {frozenset(range(prep.n_slots))} | _session_windows(prep)
    if len(windows) <= 64:
        window_sets |= windows
    for window in window_sets:
        inside = [m for m in candidates if set(prep.allowed[m]) <= window]
        for size in sorted({len(instance.meetings[m].participants) for m in inside}):
            for shared_only in (False, True) if dedicated else (False,):
                members = [
                    m
                    for m in inside
                    if len(instance.meetings[m].participants) >= size
                    and not (shared_only and any(c in dedicated for c in instance.meetings[m].companies))
                ]
                limit = sum(
                    1
                    for t in window
                    for table in instance.tables
                    if t not in table.unavailable_slots
                    and table.capacity >= size
                    and not (shared_only and table.dedicated_company is not None)
                )
                if len(members) > limit:
                    rows.append((members, limit))
    return rows


def _session_windows(prep: Prepared) -> set[frozenset[int]]:
    by_session: dict[int, set[int]] = {}
    for slot in prep.instance.slots:
        by_session.setdefault(slot.session, set()).add(slot.index)
    return {frozenset(slots) for slots in by_session.values()}


class WeightBound(NamedTuple):
    value: float
    charged_s: float  # see MipResult.charged_s


def aggregated_bound(prep: Prepared, candidates: list[int], time_limit_s: float, seed: int) -> WeightBound:
    """Upper bound on the weight of any schedule of the candidates (LP relaxation, rounded down)."""
    instance = prep.instance
    chosen = [m for m in candidates if prep.allowed[m]]
    trivial = float(sum(instance.meetings[m].weight for m in chosen))
    if not chosen:
        return WeightBound(0.0, 0.0)
    mip = Mip(maximize=True)
    column = {m: mip.var(cost=float(instance.meetings[m].weight), integer=False) for m in chosen}
    for members, limit in capacity_limits(prep, chosen):
        mip.row([column[m] for m in members], [1.0] * len(members), -1.0, float(limit))
    result = mip.solve(time_limit_s, seed)
    if result.bound is None or not math.isfinite(result.bound):
        return WeightBound(trivial, result.charged_s)
    return WeightBound(min(trivial, float(math.floor(result.bound + 1e-6))), result.charged_s)
