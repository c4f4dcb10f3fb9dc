"""The meeting grid of an event: days with opening and closing times (in the event's time zone), the
slot length, pauses that are not slots, tables, session tags, quotas per participation type and the
organiser's unavailability (mass, per company, the conferences each participant attends), and the
participants' cancellation cut-off. Pure: `grid_errors` checks every rule of `RULES` at once and `slots`
lays the grid out as the scheduler's slots."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import Field, StringConstraints

from salon.kernel.errors import FieldError
from salon.kernel.values import StrictModel
from salon.registration.domain.participation_types import TypeCode

MAX_DAYS = 14
MAX_TABLES = 2_000
MAX_SLOTS = 400  # the scheduler's problem document takes no more
Label = Annotated[str, StringConstraints(min_length=1, max_length=40)]
Id = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


class Pause(StrictModel):
    kind: Literal["lunch", "coffee", "other"] = "other"
    starts: time
    ends: time


class Day(StrictModel):
    date: date
    opens: time
    closes: time
    pauses: list[Pause] = Field(default_factory=list, max_length=10)


class Period(StrictModel):
    """A time range in the event's time zone (naive) or absolute (with an offset)."""

    starts_at: datetime
    ends_at: datetime


class Session(StrictModel):
    """A session tag (morning, afternoon...) covers the slots starting in [starts, ends) each day."""

    tag: Label
    starts: time
    ends: time


class Tables(StrictModel):
    """``count`` tables labelled ``<prefix><n>`` (n from ``first``), seating ``capacity``."""

    count: int = Field(ge=1, le=MAX_TABLES)
    capacity: int = Field(default=2, ge=2, le=100)
    prefix: Label = "T"
    first: int = Field(default=1, ge=0, le=100_000)
    dedicated_registration_id: Id | None = None  # reserved for this company's meetings
    closed: list[Period] = Field(default_factory=list, max_length=50)  # slots overlapping are closed


class Quota(StrictModel):
    max_per_participant: int | None = Field(default=None, ge=0, le=400)
    max_per_company: int | None = Field(default=None, ge=0, le=10_000)
    max_per_participant_per_day: int | None = Field(default=None, ge=0, le=400)
    max_per_company_per_day: int | None = Field(default=None, ge=0, le=10_000)


class Block(StrictModel):
    """Mass unavailability (a plenary talk): for the given types, or everyone when ``types`` is empty."""

    label: Label
    types: list[TypeCode] = Field(default_factory=list, max_length=50)
    periods: list[Period] = Field(min_length=1, max_length=50)


class CompanyBlock(StrictModel):
    """Unavailability of a company (registration): it blocks every one of its participants."""

    registration_id: Id
    label: Label
    periods: list[Period] = Field(min_length=1, max_length=50)


class Attendance(StrictModel):
    """A conference or workshop a participant attends: its slots are not free for meetings."""

    participant_id: Id
    label: Label
    periods: list[Period] = Field(min_length=1, max_length=50)


class Grid(StrictModel):
    days: list[Day] = Field(min_length=1, max_length=MAX_DAYS)
    slot_minutes: int = Field(ge=5, le=240)
    tables: list[Tables] = Field(min_length=1, max_length=200)
    sessions: list[Session] = Field(default_factory=list, max_length=10)
    quotas: dict[TypeCode, Quota] = Field(default_factory=dict, max_length=50)
    blocks: list[Block] = Field(default_factory=list, max_length=50)
    company_blocks: list[CompanyBlock] = Field(default_factory=list, max_length=2_000)
    attendance: list[Attendance] = Field(default_factory=list, max_length=5_000)
    cancel_cutoff_hours: int = Field(default=24, ge=0, le=24 * 30)  # participants cancel until then


class GridInput(StrictModel):
    """PUT body: the grid, over the version it was read at (0 for the first)."""

    grid: Grid
    version: int = Field(ge=0)


@dataclass(frozen=True)
class GridSlot:
    index: int
    day: int
    session: int
    starts_at: datetime  # aware, in the event's time zone
    ends_at: datetime


@dataclass(frozen=True)
class TableSpec:
    index: int
    label: str
    capacity: int
    dedicated_registration_id: str | None
    closed: tuple[Period, ...]


# ---------------------------------------------------------------- the rules, as data


def _day_rules(grid: Grid) -> Iterator[FieldError]:
    for i, day in enumerate(grid.days):
        if day.closes <= day.opens:
            yield FieldError(f"days[{i}].closes", "must be after opens")
        for j, pause in enumerate(day.pauses):
            if pause.ends <= pause.starts:
                yield FieldError(f"days[{i}].pauses[{j}].ends", "must be after starts")
            if pause.starts < day.opens or pause.ends > day.closes:
                yield FieldError(f"days[{i}].pauses[{j}]", "must fall between opens and closes")
        ordered = sorted(day.pauses, key=lambda p: p.starts)
        for before, after in itertools.pairwise(ordered):
            if after.starts < before.ends:
                yield FieldError(f"days[{i}].pauses", "pauses must not overlap")
    for i, (day_before, day_after) in enumerate(itertools.pairwise(grid.days)):
        if day_after.date <= day_before.date:
            yield FieldError(f"days[{i + 1}].date", "days must be listed in order, once each")


def _table_rules(grid: Grid) -> Iterator[FieldError]:
    if sum(t.count for t in grid.tables) > MAX_TABLES:
        yield FieldError("tables", f"at most {MAX_TABLES} tables")
    seen: set[str] = set()
    for i, block in enumerate(grid.tables):
        labels = {f"{block.prefix}{n}" for n in range(block.first, block.first + block.count)}
        if labels & seen:
            yield FieldError(f"tables[{i}].prefix", "table labels must be unique")
        seen |= labels
        yield from _period_rules(f"tables[{i}].closed", block.closed)


def _session_rules(grid: Grid) -> Iterator[FieldError]:
    tags = [s.tag for s in grid.sessions]
    for i, session in enumerate(grid.sessions):
        if session.ends <= session.starts:
            yield FieldError(f"sessions[{i}].ends", "must be after starts")
        if tags.index(session.tag) != i:
            yield FieldError(f"sessions[{i}].tag", "session tags must be unique")
    ordered = sorted(grid.sessions, key=lambda s: s.starts)
    for a, b in itertools.pairwise(ordered):
        if b.starts < a.ends:
            yield FieldError("sessions", "sessions must not overlap")


def _slot_rules(grid: Grid) -> Iterator[FieldError]:
    per_day = [len(_day_starts(day, grid.slot_minutes)) for day in grid.days]
    for i, count in enumerate(per_day):
        if count == 0:
            yield FieldError(f"days[{i}]", "no slot fits between opens, closes and the pauses")
    if sum(per_day) > MAX_SLOTS:
        yield FieldError("slot_minutes", f"the grid has more than {MAX_SLOTS} slots")


def _block_rules(grid: Grid) -> Iterator[FieldError]:
    for i, block in enumerate(grid.blocks):
        yield from _period_rules(f"blocks[{i}].periods", block.periods)
    for i, company in enumerate(grid.company_blocks):
        yield from _period_rules(f"company_blocks[{i}].periods", company.periods)
    for i, attended in enumerate(grid.attendance):
        yield from _period_rules(f"attendance[{i}].periods", attended.periods)


def _period_rules(where: str, periods: list[Period]) -> Iterator[FieldError]:
    for j, period in enumerate(periods):
        if (period.starts_at.tzinfo is None) != (period.ends_at.tzinfo is None):
            yield FieldError(f"{where}[{j}]", "both ends are local times or both carry an offset")
        elif period.ends_at <= period.starts_at:
            yield FieldError(f"{where}[{j}].ends_at", "must be after starts_at")


RULES: tuple[Callable[[Grid], Iterator[FieldError]], ...] = (
    _day_rules,
    _table_rules,
    _session_rules,
    _slot_rules,
    _block_rules,
)


def grid_errors(grid: Grid, type_codes: set[str]) -> list[FieldError]:
    """Every rule the grid breaks (and quotas or blocks naming a type the event lacks)."""
    errors = [error for rule in RULES for error in rule(grid)]
    errors += [
        FieldError(f"quotas.{code}", "no such participation type")
        for code in grid.quotas
        if code not in type_codes
    ]
    errors += [
        FieldError(f"blocks[{i}].types[{j}]", "no such participation type")
        for i, block in enumerate(grid.blocks)
        for j, code in enumerate(block.types)
        if code not in type_codes
    ]
    return errors


# ---------------------------------------------------------------- layout


def _day_starts(day: Day, minutes: int) -> list[time]:
    """The start of each slot of a day: consecutive slots from opening, skipping the pauses."""
    step = timedelta(minutes=minutes)
    cursor, closes = datetime.combine(day.date, day.opens), datetime.combine(day.date, day.closes)
    pauses = sorted(
        (datetime.combine(day.date, p.starts), datetime.combine(day.date, p.ends)) for p in day.pauses
    )
    starts: list[time] = []
    while cursor + step <= closes:
        overlapping = next((p for p in pauses if cursor < p[1] and p[0] < cursor + step), None)
        if overlapping is not None:
            cursor = overlapping[1]
            continue
        starts.append(cursor.time())
        cursor += step
    return starts


def slots(grid: Grid, time_zone: str) -> list[GridSlot]:
    zone = ZoneInfo(time_zone)
    tags = sorted(grid.sessions, key=lambda s: s.starts)
    out: list[GridSlot] = []
    for d, day in enumerate(grid.days):
        for start in _day_starts(day, grid.slot_minutes):
            session = next((k for k, s in enumerate(tags) if s.starts <= start < s.ends), len(tags))
            starts_at = datetime.combine(day.date, start, zone)
            out.append(
                GridSlot(len(out), d, session, starts_at, starts_at + timedelta(minutes=grid.slot_minutes))
            )
    return out


def session_tags(grid: Grid) -> list[str]:
    """Tag of each session index `slots` gives (the last one: slots outside every tagged session)."""
    return [s.tag for s in sorted(grid.sessions, key=lambda s: s.starts)] + ["untagged"]


def tables(grid: Grid) -> list[TableSpec]:
    out: list[TableSpec] = []
    for block in grid.tables:
        for n in range(block.first, block.first + block.count):
            out.append(
                TableSpec(
                    len(out),
                    f"{block.prefix}{n}",
                    block.capacity,
                    block.dedicated_registration_id,
                    tuple(block.closed),
                )
            )
    return out


def overlaps(period: Period, slot: GridSlot) -> bool:
    """Does the period cover part of the slot? Local (naive) periods are read in the slot's zone."""
    zone = slot.starts_at.tzinfo
    starts = period.starts_at if period.starts_at.tzinfo else period.starts_at.replace(tzinfo=zone)
    ends = period.ends_at if period.ends_at.tzinfo else period.ends_at.replace(tzinfo=zone)
    return starts < slot.ends_at and slot.starts_at < ends


def covered(periods: list[Period] | tuple[Period, ...], grid_slots: list[GridSlot]) -> set[int]:
    return {s.index for s in grid_slots for p in periods if overlaps(p, s)}


def person_blocks(grid: Grid, participant_id: str, type_code: str) -> list[Period]:
    """The organiser's unavailability of one participant: mass blocks of their type (or everyone's)
    and the conferences they attend (not their own declared unavailability, nor their company's)."""
    periods = [p for b in grid.blocks if not b.types or type_code in b.types for p in b.periods]
    return periods + [p for a in grid.attendance if a.participant_id == participant_id for p in a.periods]


def company_periods(grid: Grid, registration_id: str) -> list[Period]:
    return [p for b in grid.company_blocks if b.registration_id == registration_id for p in b.periods]


def pauses(grid: Grid, time_zone: str) -> list[tuple[str, datetime, datetime]]:
    zone = ZoneInfo(time_zone)
    return [
        (p.kind, datetime.combine(day.date, p.starts, zone), datetime.combine(day.date, p.ends, zone))
        for day in grid.days
        for p in sorted(day.pauses, key=lambda p: p.starts)
    ]
