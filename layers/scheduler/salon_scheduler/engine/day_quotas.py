"""Per-day quotas (a person's, a company's meetings on each day). The weight stage's model holds them
and the greedy and repair steps check them, but the breaks stage may move a meeting to another day:
`within_day_quotas` then drops the lightest movable meetings of a day over its quota."""

from __future__ import annotations

from collections import Counter

from .prepare import Prepared

Owner = tuple[str, int, int]  # ("p" or "c", person or company, day)


def _owners(prep: Prepared, m: int, t: int) -> list[tuple[Owner, int]]:
    instance = prep.instance
    meeting, day = instance.meetings[m], instance.slots[t].day
    return [
        (("p", p, day), instance.day_max_meetings[p])
        for p in set(meeting.participants)
        if p in instance.day_max_meetings
    ] + [
        (("c", c, day), instance.company_day_max_meetings[c])
        for c in set(meeting.companies)
        if c in instance.company_day_max_meetings
    ]


def within_day_quotas(prep: Prepared, placement: dict[int, int]) -> dict[int, int]:
    """The placement less its lightest meetings on days over a quota (locked ones are kept)."""
    instance = prep.instance
    if not (instance.day_max_meetings or instance.company_day_max_meetings):
        return placement
    counts: Counter[Owner] = Counter(owner for m, t in placement.items() for owner, _ in _owners(prep, m, t))
    kept = dict(placement)
    lightest_first = sorted(
        (m for m in placement if m not in prep.locked), key=lambda m: (instance.meetings[m].weight, -m)
    )
    for m in lightest_first:
        owners = _owners(prep, m, kept[m])
        if any(counts[owner] > quota for owner, quota in owners):
            for owner, _ in owners:
                counts[owner] -= 1
            del kept[m]
    return kept


def day_quota_reached(prep: Prepared, m: int, placement: dict[int, int], free: list[int]) -> str | None:
    """Who reached their quota on every day of the meeting's free slots, if anyone does."""
    if not free or not _owners(prep, m, free[0]):
        return None  # no free slot, or no per-day quota concerns this meeting
    counts: Counter[Owner] = Counter(owner for o, t in placement.items() for owner, _ in _owners(prep, o, t))
    full = [o for t in free if (o := next((o for o, q in _owners(prep, m, t) if counts[o] >= q), None))]
    if len(full) < len(free):
        return None
    kind, who, day = full[0]
    return f"{'participant' if kind == 'p' else 'company'} {who} reached its quota on day {day}"
