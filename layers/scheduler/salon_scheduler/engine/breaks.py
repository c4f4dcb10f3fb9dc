"""Break minimisation with a compact block-start formulation.

busy[p, t] is the sum of p's x[m, t]; start[p, t] >= busy[p, t] - busy[p, t-1] marks the first slot
of each run of meetings; p's breaks are its runs minus the days it attends. Tables never appear."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field

from .mip import Mip
from .prepare import Prepared
from .slot_model import SlotModel, build_slot_model

UNFAIR_PENALTY = 1000.0  # per break beyond the fairness cap; dominates any break saving


def count_breaks(prep: Prepared, placement: Mapping[int, int]) -> list[int]:
    """Breaks per person: idle gaps between consecutive meetings on the same day."""
    result = [0] * prep.n_persons
    slot_day = [s.day for s in prep.instance.slots]
    for person, meetings in enumerate(prep.meetings_of_person):
        taken = sorted(placement[m] for m in meetings if m in placement)
        result[person] = sum(
            1 for a, b in itertools.pairwise(taken) if slot_day[a] == slot_day[b] and b > a + 1
        )
    return result


def run_lower_bound(
    prep: Prepared, person: int, meetings: list[int], slots: list[int] | None = None, count: int | None = None
) -> int:
    """Fewest runs of consecutive available slots that can hold all of the person's meetings."""
    del person
    available = sorted({t for m in meetings for t in prep.allowed[m]} if slots is None else set(slots))
    needed_count = len(meetings) if count is None else count
    runs: list[int] = []
    for t in available:
        if runs and previous_available(prep, t, available):
            runs[-1] += 1
        else:
            runs.append(1)
    needed, covered = 0, 0
    for length in sorted(runs, reverse=True):
        if covered >= needed_count:
            break
        covered += length
        needed += 1
    return needed


def fewest_breaks(prep: Prepared, meetings: list[int]) -> int:
    """A lower bound on one person's breaks when all of `meetings` are placed, on any number of days.

    Let R be the runs of the slots any of the meetings may take (maximal sequences of consecutive
    slots of one day). In a schedule, the person's n_d meetings of day d fill b_d blocks of
    consecutive slots, and has b_d - 1 breaks that day. Each block lies inside one run, so the runs
    holding the blocks number at most b_d and together hold at least n_d slots. Summed over days:
    the breaks are at least (runs used) - (days used), with runs used covering all the meetings. The
    fewest such extras come from taking every day's longest run for free first, then the longest of
    the remaining runs, one break each, until the meetings are covered: any cover with k extra runs
    can be changed, run by run, into that one without more extras. On one day this is the fewest
    runs minus one (run_lower_bound less one)."""
    available = sorted({t for m in meetings for t in prep.allowed[m]})
    runs: dict[int, list[int]] = {}
    for t in available:
        day = prep.instance.slots[t].day
        if previous_available(prep, t, available):
            runs[day][-1] += 1
        else:
            runs.setdefault(day, []).append(1)
    free = sum(max(lengths) for lengths in runs.values())
    extras = sorted((x for lengths in runs.values() for x in sorted(lengths)[:-1]), reverse=True)
    uncovered, breaks = len(meetings) - free, 0
    for length in extras:
        if uncovered <= 0:
            break
        uncovered -= length
        breaks += 1
    return breaks


def previous_available(prep: Prepared, t: int, available: list[int]) -> bool:
    return t > 0 and prep.next_in_day[t - 1] == t and (t - 1) in available


@dataclass
class BreaksModel:
    slots: SlotModel
    general_mode: dict[int, int] = field(default_factory=dict)  # person who could have one run -> y
    # several days: person -> (columns, coefficients, offset) whose sum minus offset bounds their breaks
    day_breaks: dict[int, tuple[list[int], list[float], float]] = field(default_factory=dict)


def build_breaks_model(
    prep: Prepared, scheduled: frozenset[int], pinned: Mapping[int, int], fairness_cap: int
) -> BreaksModel:
    """Scheduled meetings must all be placed; the objective is the total number of breaks."""
    mip = Mip(maximize=False)
    slots = build_slot_model(prep, mip, scheduled, scheduled, pinned)
    single_day = len(prep.day_slots()) == 1
    persons_with_few = any(sum(1 for m in ms if m in scheduled) <= 1 for ms in prep.meetings_of_person)
    break_exprs: list[tuple[list[int], list[float], float]] = []
    general_mode: dict[int, int] = {}
    day_breaks: dict[int, tuple[list[int], list[float], float]] = {}
    for person, all_meetings in enumerate(prep.meetings_of_person):
        meetings = [m for m in all_meetings if m in scheduled]
        if len(meetings) <= 1:
            continue
        busy: dict[int, list[int]] = {}
        for m in meetings:
            for t, v in slots.slots_of[m]:
                busy.setdefault(t, []).append(v)
        if single_day:
            expr, general = _single_day_person(prep, mip, busy, len(meetings))
            if general is not None:
                general_mode[person] = general
            break_exprs.append(expr)
        else:
            starts = _run_starts(prep, mip, {t: ([*vs], [1.0] * len(vs)) for t, vs in busy.items()})
            days = _day_indicators(prep, mip, busy)
            day_breaks[person] = ([*starts, *days], [1.0] * len(starts) + [-1.0] * len(days), 0.0)
            break_exprs.append(day_breaks[person])
    _add_fairness_rows(mip, break_exprs, fairness_cap, persons_with_few)
    return BreaksModel(slots, general_mode, day_breaks)


def _run_starts(prep: Prepared, mip: Mip, level: dict[int, tuple[list[int], list[float]]]) -> list[int]:
    """start[t] >= level[t] - level[t-1] (same day), each level a linear expression."""
    starts: list[int] = []
    for t in sorted(level):
        start = mip.var(cost=1.0, integer=False)
        starts.append(start)
        index, value = level[t]
        previous = level.get(t - 1) if t > 0 and prep.next_in_day[t - 1] == t else None
        prev_index, prev_value = previous if previous is not None else ([], [])
        mip.row([start, *index, *prev_index], [1.0] + [-c for c in value] + prev_value, 0.0, 1e9)
    return starts


def _single_day_person(
    prep: Prepared, mip: Mip, busy: dict[int, list[int]], count: int
) -> tuple[tuple[list[int], list[float], float], int | None]:
    """Either one contiguous run (z[a] = the run covers a .. a+count-1, no break) or the general
    mode (y = 1) whose busy profile f is counted by the block-start rows. The one-run mode makes the
    LP see the pattern most people can have directly. Returns the break expression and y when the
    person could have one run."""
    slots = sorted(busy)
    available = set(slots)
    windows = [
        a for a in slots if all(a + i in available and _same_day(prep, a, a + i) for i in range(count))
    ]
    general = mip.var(cost=-1.0)
    window_vars = {a: mip.var() for a in windows}
    mip.row([*window_vars.values(), general], [1.0] * (len(window_vars) + 1), 1.0, 1.0)
    profile: dict[int, tuple[list[int], list[float]]] = {}
    for t in slots:
        f = mip.var(integer=False)
        mip.row([f, general], [1.0, -1.0], -1e9, 0.0)
        covering = [z for a, z in window_vars.items() if a <= t < a + count]
        mip.row([*busy[t], *covering, f], [1.0] * len(busy[t]) + [-1.0] * len(covering) + [-1.0], 0.0, 0.0)
        profile[t] = ([f], [1.0])
    flows = [index[0] for index, _ in profile.values()]
    mip.row([*flows, general], [1.0] * len(flows) + [-float(count)], 0.0, 0.0)
    starts = _run_starts(prep, mip, profile)
    # general mode with a single run would duplicate a window, so it needs at least two runs
    runs = max(2, run_lower_bound(prep, -1, [], slots, count))
    mip.row([*starts, general], [1.0] * len(starts) + [-float(runs)], 0.0, 1e9)
    return ([*starts, general], [1.0] * len(starts) + [-1.0], 0.0), (general if windows else None)


def _same_day(prep: Prepared, a: int, b: int) -> bool:
    return prep.instance.slots[a].day == prep.instance.slots[b].day


def _day_indicators(prep: Prepared, mip: Mip, busy: dict[int, list[int]]) -> list[int]:
    """attended[d] <= busy slots of day d; the objective pushes it to 1 on every attended day."""
    per_day: dict[int, list[int]] = {}
    for t, members in busy.items():
        per_day.setdefault(prep.instance.slots[t].day, []).extend(members)
    result: list[int] = []
    for members in per_day.values():
        attended = mip.var(cost=-1.0, integer=False)
        mip.row([attended, *members], [1.0] + [-1.0] * len(members), -1e9, 0.0)
        result.append(attended)
    return result


def _add_fairness_rows(
    mip: Mip, exprs: list[tuple[list[int], list[float], float]], cap: int, someone_has_zero: bool
) -> None:
    """Spread of break counts <= cap, softened by a heavily priced excess so any start is accepted."""
    if someone_has_zero:
        for index, value, offset in exprs:
            excess = mip.var(lower=0.0, upper=1e9, cost=UNFAIR_PENALTY, integer=False)
            mip.row([*index, excess], [*value, -1.0], -1e9, cap + offset)
        return
    low = mip.var(lower=0.0, upper=1e6, integer=False)
    high = mip.var(lower=0.0, upper=1e9, integer=False)
    excess = mip.var(lower=0.0, upper=1e9, cost=UNFAIR_PENALTY, integer=False)
    mip.row([high, low, excess], [1.0, -1.0, -1.0], -1e9, float(cap))
    for index, value, offset in exprs:
        mip.row([*index, high], [*value, -1.0], -1e9, offset)
        mip.row([*index, low], [*value, -1.0], offset, 1e9)
