"""An independent check of a schedule: every violated hard constraint, and every metric we report.

Deliberately shares nothing with the engine but the data model, so that an engine bug cannot
hide itself by being repeated here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

from salon_scheduler.instance import Instance, Meeting, Mode, Placement


class Violation(StrEnum):
    UNKNOWN_ID = "unknown_id"
    PLACED_TWICE = "placed_twice"
    PERSON_DOUBLE_BOOKED = "person_double_booked"
    TABLE_DOUBLE_BOOKED = "table_double_booked"
    CAPACITY = "capacity"
    TABLE_UNAVAILABLE = "table_unavailable"
    DEDICATED_TABLE = "dedicated_table"
    FORBIDDEN_SLOT = "forbidden_slot"
    SESSION = "session"
    FIXED_SLOT = "fixed_slot"
    FIXED_TABLE = "fixed_table"
    PRECEDENCE = "precedence"
    PERSON_QUOTA = "person_quota"
    COMPANY_QUOTA = "company_quota"
    PERSON_DAY_QUOTA = "person_day_quota"
    COMPANY_DAY_QUOTA = "company_day_quota"
    LOCKED_MOVED = "locked_moved"
    REQUIRED_UNPLACED = "required_unplaced"
    BREAKS_UNFAIR = "breaks_unfair"


@dataclass(frozen=True)
class Problem:
    kind: Violation
    detail: str


@dataclass(frozen=True)
class Metrics:
    meetings_requested: int
    meetings_placed: int
    weight_requested: int
    weight_placed: int
    share_min: float  # placed / requested meetings, over persons with at least one request
    share_max: float
    breaks_total: int
    breaks_max: int  # over every person, as in JAIR (people with 0 or 1 meetings have 0 breaks)
    breaks_min: int
    breaks_spread: int
    fairness_respected: bool  # breaks_spread <= instance.break_fairness, or no cap set (see _check_fairness)
    breaks_unavoidable_max: int  # most breaks one person must have given their placed meetings
    table_changes_total: int
    table_changes_max: int
    dedicated_honour_rate: float | None  # None: no placed meeting of a company owning a table
    below_wished_minimum: int  # persons placed in fewer meetings than their min_meetings


@dataclass(frozen=True)
class Report:
    problems: tuple[Problem, ...]
    metrics: Metrics

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, kind: Violation) -> int:
        return sum(1 for problem in self.problems if problem.kind == kind)


def validate(instance: Instance, placements: Iterable[Placement]) -> Report:
    problems: list[Problem] = []
    placed = _known_unique(instance, list(placements), problems)
    _check_each_placement(instance, placed, problems)
    _check_overlaps(instance, placed, problems)
    _check_precedences(instance, placed, problems)
    _check_quotas(instance, placed, problems)
    _check_day_quotas(instance, placed, problems)
    _check_locked_and_required(instance, placed, problems)
    metrics = compute_metrics(instance, placed)
    _check_fairness(instance, placed, metrics, problems)
    return Report(tuple(problems), metrics)


def _known_unique(
    instance: Instance, placements: Sequence[Placement], problems: list[Problem]
) -> dict[int, Placement]:
    """The first placement of every known meeting; reports unknown ids and repeats."""
    placed: dict[int, Placement] = {}
    for placement in placements:
        if not (
            0 <= placement.meeting < len(instance.meetings)
            and 0 <= placement.slot < len(instance.slots)
            and 0 <= placement.table < len(instance.tables)
        ):
            problems.append(Problem(Violation.UNKNOWN_ID, f"{placement}"))
        elif placement.meeting in placed:
            problems.append(Problem(Violation.PLACED_TWICE, f"meeting {placement.meeting}"))
        else:
            placed[placement.meeting] = placement
    return placed


def _check_each_placement(instance: Instance, placed: dict[int, Placement], problems: list[Problem]) -> None:
    for m, placement in placed.items():
        meeting = instance.meetings[m]
        table = instance.tables[placement.table]
        slot = instance.slots[placement.slot]
        where = f"meeting {m} at slot {placement.slot}, table {placement.table}"
        if table.capacity < len(meeting.participants):
            problems.append(Problem(Violation.CAPACITY, where))
        if placement.slot in table.unavailable_slots:
            problems.append(Problem(Violation.TABLE_UNAVAILABLE, where))
        if table.dedicated_company is not None and table.dedicated_company not in meeting.companies:
            problems.append(Problem(Violation.DEDICATED_TABLE, where))
        for person in meeting.participants:
            if placement.slot in instance.forbidden.get(person, frozenset()):
                problems.append(Problem(Violation.FORBIDDEN_SLOT, f"{where}: person {person}"))
        if meeting.sessions is not None and slot.session not in meeting.sessions:
            problems.append(Problem(Violation.SESSION, where))
        if meeting.fixed_slot is not None and placement.slot != meeting.fixed_slot:
            problems.append(Problem(Violation.FIXED_SLOT, f"{where}, fixed to {meeting.fixed_slot}"))
        if meeting.fixed_table is not None and placement.table != meeting.fixed_table:
            problems.append(Problem(Violation.FIXED_TABLE, f"{where}, fixed to {meeting.fixed_table}"))


def _check_overlaps(instance: Instance, placed: dict[int, Placement], problems: list[Problem]) -> None:
    person_slot: dict[tuple[int, int], int] = {}
    table_slot: dict[tuple[int, int], int] = {}
    for m, placement in sorted(placed.items()):
        for person in instance.meetings[m].participants:
            other = person_slot.setdefault((person, placement.slot), m)
            if other != m:
                detail = f"person {person} in meetings {other} and {m} at slot {placement.slot}"
                problems.append(Problem(Violation.PERSON_DOUBLE_BOOKED, detail))
        other = table_slot.setdefault((placement.table, placement.slot), m)
        if other != m:
            detail = f"table {placement.table} holds meetings {other} and {m} at slot {placement.slot}"
            problems.append(Problem(Violation.TABLE_DOUBLE_BOOKED, detail))


def _check_precedences(instance: Instance, placed: dict[int, Placement], problems: list[Problem]) -> None:
    for before, after in instance.precedences:
        # An unplaced meeting constrains nothing: the missing meeting shows in the metrics instead.
        if before in placed and after in placed and placed[before].slot >= placed[after].slot:
            slots = placed[before].slot, placed[after].slot
            detail = f"meeting {before} (slot {slots[0]}) not before {after} (slot {slots[1]})"
            problems.append(Problem(Violation.PRECEDENCE, detail))


def _check_quotas(instance: Instance, placed: dict[int, Placement], problems: list[Problem]) -> None:
    per_person: Counter[int] = Counter()
    per_company: Counter[int] = Counter()
    for m in placed:
        meeting = instance.meetings[m]
        per_person.update(meeting.participants)
        per_company.update(set(meeting.companies))
    for person, quota in instance.max_meetings.items():
        if per_person[person] > quota:
            problems.append(
                Problem(Violation.PERSON_QUOTA, f"person {person}: {per_person[person]} > {quota}")
            )
    for company, quota in instance.company_max_meetings.items():
        if per_company[company] > quota:
            detail = f"company {company}: {per_company[company]} > {quota}"
            problems.append(Problem(Violation.COMPANY_QUOTA, detail))


def _check_day_quotas(instance: Instance, placed: dict[int, Placement], problems: list[Problem]) -> None:
    per_person: Counter[tuple[int, int]] = Counter()
    per_company: Counter[tuple[int, int]] = Counter()
    for m, placement in placed.items():
        meeting, day = instance.meetings[m], instance.slots[placement.slot].day
        per_person.update((p, day) for p in set(meeting.participants))
        per_company.update((c, day) for c in set(meeting.companies))
    for (person, day), count in sorted(per_person.items()):
        quota = instance.day_max_meetings.get(person)
        if quota is not None and count > quota:
            detail = f"person {person} on day {day}: {count} > {quota}"
            problems.append(Problem(Violation.PERSON_DAY_QUOTA, detail))
    for (company, day), count in sorted(per_company.items()):
        quota = instance.company_day_max_meetings.get(company)
        if quota is not None and count > quota:
            detail = f"company {company} on day {day}: {count} > {quota}"
            problems.append(Problem(Violation.COMPANY_DAY_QUOTA, detail))


def _check_locked_and_required(
    instance: Instance, placed: dict[int, Placement], problems: list[Problem]
) -> None:
    for meeting in instance.meetings:
        if instance.mode == Mode.LOCKED and meeting.existing is not None:
            now = placed.get(meeting.index)
            if now is None or (now.slot, now.table) != (meeting.existing.slot, meeting.existing.table):
                problems.append(Problem(Violation.LOCKED_MOVED, f"meeting {meeting.index}: {now}"))
        if meeting.required and meeting.index not in placed:
            problems.append(Problem(Violation.REQUIRED_UNPLACED, f"meeting {meeting.index}"))


def _check_fairness(
    instance: Instance, placed: dict[int, Placement], metrics: Metrics, problems: list[Problem]
) -> None:
    """Every person's breaks within the fewest anyone has plus the cap, except those that meetings
    which must stay make among themselves (required, fixed to a slot, locked by the mode: nothing
    may remove them, and fixed or locked ones may not move): a person is at fault only when their
    breaks pass both the cap and that floor."""
    if metrics.fairness_respected or instance.break_fairness is None:
        return
    limit = metrics.breaks_min + instance.break_fairness
    staying = {m: p for m, p in placed.items() if _must_stay(instance, instance.meetings[m])}
    timelines = zip(person_timelines(instance, placed), person_timelines(instance, staying), strict=True)
    over = [
        person
        for person, (timeline, kept) in enumerate(timelines)
        if count_breaks(instance, [p.slot for p in timeline])
        > max(limit, count_breaks(instance, [p.slot for p in kept]))
    ]
    if over:
        spread = f"breaks from {metrics.breaks_min} to {metrics.breaks_max}"
        beyond = f"{len(over)} person(s) past their floor, first {over[:5]}"
        detail = f"{spread}: spread above {instance.break_fairness}; {beyond}"
        problems.append(Problem(Violation.BREAKS_UNFAIR, detail))


def _must_stay(instance: Instance, meeting: Meeting) -> bool:
    locked = instance.mode == Mode.LOCKED and meeting.existing is not None
    return meeting.required or meeting.fixed_slot is not None or locked


# ---------------------------------------------------------------- metrics


def person_timelines(instance: Instance, placed: dict[int, Placement]) -> list[list[Placement]]:
    """Each person's placements in time order."""
    timelines: list[list[Placement]] = [[] for _ in range(instance.n_participants)]
    for m, placement in placed.items():
        for person in instance.meetings[m].participants:
            timelines[person].append(placement)
    for timeline in timelines:
        timeline.sort(key=lambda p: p.slot)
    return timelines


def count_breaks(instance: Instance, slots: Sequence[int]) -> int:
    """JAIR breaks: a maximal idle run between two meetings of the same person on the same day."""
    ordered = sorted(slots)
    return sum(
        1
        for earlier, later in pairwise(ordered)
        if later - earlier > 1 and instance.slots[earlier].day == instance.slots[later].day
    )


def count_table_changes(instance: Instance, timeline: Sequence[Placement]) -> int:
    """Moves between consecutive meetings of one person on the same day."""
    return sum(
        1
        for earlier, later in pairwise(timeline)
        if earlier.table != later.table and instance.slots[earlier.slot].day == instance.slots[later.slot].day
    )


def usable_slots(instance: Instance, m: int) -> set[int]:
    """Slots a meeting could take on its own: sessions, fixed slot, availability, an open table."""
    meeting = instance.meetings[m]
    usable: set[int] = set()
    for slot in instance.slots:
        t = slot.index
        if meeting.sessions is not None and slot.session not in meeting.sessions:
            continue
        if meeting.fixed_slot is not None and meeting.fixed_slot != t:
            continue
        if any(t in instance.forbidden.get(p, frozenset()) for p in meeting.participants):
            continue
        if any(
            table.capacity >= len(meeting.participants)
            and t not in table.unavailable_slots
            and (table.dedicated_company is None or table.dedicated_company in meeting.companies)
            for table in instance.tables
        ):
            usable.add(t)
    return usable


def unavoidable_breaks(instance: Instance, meetings: Sequence[int]) -> int:
    """A lower bound on one person's breaks: their meetings need runs of consecutive usable slots;
    each day's longest run is free, every further run is a break."""
    usable = set().union(*(usable_slots(instance, m) for m in meetings)) if meetings else set()
    runs: dict[int, list[int]] = defaultdict(list)
    for t in sorted(usable):
        day = instance.slots[t].day
        if t - 1 in usable and instance.slots[t - 1].day == day:
            runs[day][-1] += 1
        else:
            runs[day].append(1)
    firsts = sorted((max(lengths) for lengths in runs.values()), reverse=True)
    others = sorted((x for lengths in runs.values() for x in sorted(lengths)[:-1]), reverse=True)
    needed = len(meetings)
    for length in firsts:
        needed -= length
        if needed <= 0:
            return 0
    for extra, length in enumerate(others, start=1):
        needed -= length
        if needed <= 0:
            return extra
    return len(others)


def compute_metrics(instance: Instance, placed: dict[int, Placement]) -> Metrics:
    timelines = person_timelines(instance, placed)
    breaks = [count_breaks(instance, [p.slot for p in timeline]) for timeline in timelines] or [0]
    changes = [count_table_changes(instance, timeline) for timeline in timelines] or [0]

    requested: Counter[int] = Counter(p for m in instance.meetings for p in m.participants)
    shares = [len(timelines[person]) / count for person, count in requested.items()] or [1.0]

    owners: defaultdict[int, set[int]] = defaultdict(set)
    for table in instance.tables:
        if table.dedicated_company is not None:
            owners[table.dedicated_company].add(table.index)
    eligible = honoured = 0
    for m, placement in placed.items():
        own_tables = {t for c in instance.meetings[m].companies for t in owners.get(c, ())}
        if own_tables:
            eligible += 1
            honoured += placement.table in own_tables

    spread = max(breaks) - min(breaks)
    return Metrics(
        meetings_requested=len(instance.meetings),
        meetings_placed=len(placed),
        weight_requested=sum(m.weight for m in instance.meetings),
        weight_placed=sum(instance.meetings[m].weight for m in placed),
        share_min=min(shares),
        share_max=max(shares),
        breaks_total=sum(breaks),
        breaks_max=max(breaks),
        breaks_min=min(breaks),
        breaks_spread=spread,
        fairness_respected=instance.break_fairness is None or spread <= instance.break_fairness,
        breaks_unavoidable_max=max(
            (unavoidable_breaks(instance, [p.meeting for p in timeline]) for timeline in timelines), default=0
        ),
        table_changes_total=sum(changes),
        table_changes_max=max(changes),
        dedicated_honour_rate=honoured / eligible if eligible else None,
        below_wished_minimum=sum(
            1 for person, wished in instance.min_meetings.items() if len(timelines[person]) < wished
        ),
    )
