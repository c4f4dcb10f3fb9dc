"""The checks an edited or hand-made meeting must pass before it is written: the slot is one of the
grid's, the table exists, seats everyone, is open then and not reserved for another company; every
participant is free (their own unavailability, their company's, the organiser's blocks and the
conferences they attend); nobody and no table is booked twice; quotas (in all and per day) hold.
Pure: `clashes` lists every broken rule, each with its HTTP status (422: the place itself is
invalid, 409: it clashes with other meetings or quotas)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

from salon.kernel.errors import Conflict, FieldError, ValidationFailed
from salon.scheduling.domain.grid import (
    Grid,
    GridSlot,
    Period,
    Quota,
    TableSpec,
    overlaps,
    slots,
    tables,
)


@dataclass(frozen=True)
class Booking:
    """A scheduled meeting as the checks see it."""

    meeting_id: str
    starts_at: datetime  # aware
    table: str
    registration_ids: tuple[str, str]
    participant_ids: tuple[str, ...]


def booking(meeting: Mapping[str, Any]) -> Booking:
    """A meeting item as the checks see it."""
    return Booking(
        meeting["meeting_id"],
        datetime.fromisoformat(meeting["starts_at"]),
        meeting["table"],
        (meeting["registration_ids"][0], meeting["registration_ids"][1]),
        tuple(meeting["participant_ids"]),
    )


@dataclass(frozen=True)
class Situation:
    grid: Grid
    time_zone: str
    types: Mapping[str, str]  # registration -> participation type
    company_of: Mapping[str, str]  # participant -> registration
    unavailability: Mapping[str, Sequence[Period]]  # participant -> their own periods
    bookings: Sequence[Booking]  # the event's scheduled meetings


@dataclass(frozen=True)
class Clash:
    status: Literal[409, 422]
    field: str
    message: str


class _Index:
    """What the checks look up, built once per situation (a grid check runs them for every meeting)."""

    def __init__(self, situation: Situation) -> None:
        grid = situation.grid
        self.slots = {s.starts_at: s for s in slots(grid, situation.time_zone)}
        self.tables = {t.label: t for t in tables(grid)}
        self.by_id = {b.meeting_id: b for b in situation.bookings}
        self.at: dict[datetime, list[Booking]] = defaultdict(list)
        self.counts: Counter[tuple[str, int | None]] = Counter()  # (who, day or None for all days)
        for b in situation.bookings:
            self.at[b.starts_at].append(b)
            self.counts.update(self._keys(b))
        self.attending: dict[str, list[Period]] = defaultdict(list)
        for attended in grid.attendance:
            self.attending[attended.participant_id] += attended.periods
        self.company: dict[str, list[Period]] = defaultdict(list)
        for block in grid.company_blocks:
            self.company[block.registration_id] += block.periods

    def day(self, at: datetime) -> int | None:
        slot = self.slots.get(at)
        return slot.day if slot else None

    def _keys(self, b: Booking) -> list[tuple[str, int | None]]:
        day = self.day(b.starts_at)
        return [
            (who, when) for who in (*set(b.participant_ids), *set(b.registration_ids)) for when in (None, day)
        ]

    def others(self, who: str, day: int | None, proposed: Booking) -> int:
        """Meetings of a participant or company (a day's, or all), the proposed one's earlier self aside."""
        earlier = self.by_id.get(proposed.meeting_id)
        mine = earlier is not None and (who, day) in self._keys(earlier)
        return self.counts[(who, day)] - mine


def clashes(situation: Situation, proposed: Booking, index: _Index | None = None) -> list[Clash]:
    index = index or _Index(situation)
    slot = index.slots.get(proposed.starts_at)
    if slot is None:
        return [Clash(422, "slot", "not the start of a slot of the grid")]
    table = index.tables.get(proposed.table)
    if table is None:
        return [Clash(422, "table", "no such table")]
    return [
        *_table_clashes(table, slot, proposed),
        *_availability_clashes(situation, index, slot, proposed),
        *_booking_clashes(index, slot, proposed),
        *_quota_clashes(situation, index, slot, proposed),
    ]


def with_free_table(situation: Situation, proposed: Booking) -> Booking:
    """A move that names a slot only: the meeting keeps its table when that is free then, else takes
    the first table of the grid that seats it then (unchanged when none does: its clashes say why)."""
    index = _Index(situation)
    if not any(c.field == "table" for c in clashes(situation, proposed, index)):
        return proposed
    for table in index.tables:
        candidate = replace(proposed, table=table)
        if not any(c.field == "table" for c in clashes(situation, candidate, index)):
            return candidate
    return proposed


def broken_by(situation: Situation, ends_at: Mapping[str, datetime]) -> tuple[str, Clash] | None:
    """The first scheduled meeting a new grid (``situation.grid``) would make invalid, and why; a
    slot must also keep its end (``ends_at``: meeting id -> its end)."""
    index = _Index(situation)
    for booking in situation.bookings:
        slot = index.slots.get(booking.starts_at)
        if slot is not None and slot.ends_at != ends_at[booking.meeting_id]:
            return booking.meeting_id, Clash(409, "slot_minutes", "its slot would end at another time")
        found = clashes(situation, booking, index)
        if found:
            return booking.meeting_id, found[0]
    return None


def raise_for(found: list[Clash]) -> None:
    """422 when the place itself is invalid, else 409 when it clashes; each clash names its field."""
    invalid = [FieldError(c.field, c.message) for c in found if c.status == 422]
    if invalid:
        raise ValidationFailed("the meeting cannot take this place", errors=invalid)
    if found:
        raise Conflict(
            "the meeting clashes with the schedule", errors=[FieldError(c.field, c.message) for c in found]
        )


def _table_clashes(table: TableSpec, slot: GridSlot, proposed: Booking) -> list[Clash]:
    out: list[Clash] = []
    if table.capacity < len(proposed.participant_ids):
        out.append(Clash(422, "table", f"{table.label} seats {table.capacity}"))
    if any(overlaps(p, slot) for p in table.closed):
        out.append(Clash(422, "table", f"{table.label} is closed at this slot"))
    if table.dedicated_registration_id and table.dedicated_registration_id not in proposed.registration_ids:
        out.append(Clash(422, "table", f"{table.label} is reserved for another company"))
    return out


def _availability_clashes(
    situation: Situation, index: _Index, slot: GridSlot, proposed: Booking
) -> list[Clash]:
    out: list[Clash] = []
    for pid in proposed.participant_ids:
        registration = situation.company_of.get(pid, "")
        kind = situation.types.get(registration, "")
        mass = [p for b in situation.grid.blocks if not b.types or kind in b.types for p in b.periods]
        sources = (
            ("their own unavailability", situation.unavailability.get(pid, ())),
            ("the organiser's blocks or a conference", mass + index.attending.get(pid, [])),
            ("their company's unavailability", index.company.get(registration, [])),
        )
        for source, periods in sources:
            if any(overlaps(p, slot) for p in periods):
                out.append(Clash(422, "slot", f"participant {pid} is unavailable then ({source})"))
    return out


def _booking_clashes(index: _Index, slot: GridSlot, proposed: Booking) -> list[Clash]:
    out: list[Clash] = []
    for other in index.at.get(slot.starts_at, []):
        if other.meeting_id == proposed.meeting_id:
            continue
        for pid in sorted(set(other.participant_ids) & set(proposed.participant_ids)):
            out.append(Clash(409, "slot", f"participant {pid} is in meeting {other.meeting_id} then"))
        if other.table == proposed.table:
            out.append(Clash(409, "table", f"{proposed.table} holds meeting {other.meeting_id} then"))
    return out


def _quota_clashes(situation: Situation, index: _Index, slot: GridSlot, proposed: Booking) -> list[Clash]:
    """Counts with the proposed meeting in place of its earlier self."""
    out: list[Clash] = []
    owners = [(pid, situation.company_of.get(pid, ""), "participant") for pid in proposed.participant_ids]
    owners += [(r, r, "company") for r in proposed.registration_ids]
    for who, registration, kind in owners:
        quota = situation.grid.quotas.get(situation.types.get(registration, "")) or Quota()
        in_all, per_day = (
            (quota.max_per_participant, quota.max_per_participant_per_day)
            if kind == "participant"
            else (quota.max_per_company, quota.max_per_company_per_day)
        )
        out += _over(in_all, index.others(who, None, proposed), f"{kind} {who}", "in all")
        out += _over(per_day, index.others(who, slot.day, proposed), f"{kind} {who}", "that day")
    return out


def _over(quota: int | None, others: int, who: str, when: str) -> list[Clash]:
    if quota is None or others + 1 <= quota:
        return []
    return [Clash(409, "slot", f"{who} would exceed its quota of {quota} meetings {when}")]
