"""The checks an edited or hand-made meeting must pass before it is written: the slot is one of the
grid's, the table exists, seats everyone, is open then and not reserved for another company; every
participant is free (their own unavailability, their company's, the organiser's blocks and the
conferences they attend); nobody and no table is booked twice; quotas (in all and per day) hold.
Pure: `clashes` lists every broken rule, each with its HTTP status (422: the place itself is
invalid, 409: it clashes with other meetings or quotas)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from salon.kernel.errors import Conflict, FieldError, ValidationFailed
from salon.scheduling.domain.grid import (
    Grid,
    GridSlot,
    Period,
    Quota,
    TableSpec,
    company_periods,
    overlaps,
    person_blocks,
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


def clashes(event: Situation, proposed: Booking) -> list[Clash]:
    slot = next((s for s in slots(event.grid, event.time_zone) if s.starts_at == proposed.starts_at), None)
    if slot is None:
        return [Clash(422, "slot", "not the start of a slot of the grid")]
    table = next((t for t in tables(event.grid) if t.label == proposed.table), None)
    if table is None:
        return [Clash(422, "table", "no such table")]
    return [
        *_table_clashes(table, slot, proposed),
        *_availability_clashes(event, slot, proposed),
        *_booking_clashes(event, slot, proposed),
        *_quota_clashes(event, slot, proposed),
    ]


def broken_by(event: Situation, ends_at: Mapping[str, datetime]) -> tuple[str, Clash] | None:
    """The first scheduled meeting a new grid (``event.grid``) would make invalid, and why; a slot
    must also keep its end (``ends_at``: meeting id -> its end)."""
    grid_slots = {s.starts_at: s for s in slots(event.grid, event.time_zone)}
    for booking in event.bookings:
        slot = grid_slots.get(booking.starts_at)
        if slot is not None and slot.ends_at != ends_at[booking.meeting_id]:
            return booking.meeting_id, Clash(409, "slot_minutes", "its slot would end at another time")
        found = clashes(event, booking)
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


def _availability_clashes(event: Situation, slot: GridSlot, proposed: Booking) -> list[Clash]:
    out: list[Clash] = []
    for pid in proposed.participant_ids:
        registration = event.company_of.get(pid, "")
        sources = (
            ("their own unavailability", event.unavailability.get(pid, ())),
            (
                "the organiser's blocks or a conference",
                person_blocks(event.grid, pid, event.types.get(registration, "")),
            ),
            ("their company's unavailability", company_periods(event.grid, registration)),
        )
        for source, periods in sources:
            if any(overlaps(p, slot) for p in periods):
                out.append(Clash(422, "slot", f"participant {pid} is unavailable then ({source})"))
    return out


def _booking_clashes(event: Situation, slot: GridSlot, proposed: Booking) -> list[Clash]:
    out: list[Clash] = []
    for other in event.bookings:
        if other.meeting_id == proposed.meeting_id or other.starts_at != slot.starts_at:
            continue
        for pid in sorted(set(other.participant_ids) & set(proposed.participant_ids)):
            out.append(Clash(409, "slot", f"participant {pid} is in meeting {other.meeting_id} then"))
        if other.table == proposed.table:
            out.append(Clash(409, "table", f"{proposed.table} holds meeting {other.meeting_id} then"))
    return out


def _quota_clashes(event: Situation, slot: GridSlot, proposed: Booking) -> list[Clash]:
    """Counts with the proposed meeting in place of its earlier self."""
    days = {s.starts_at: s.day for s in slots(event.grid, event.time_zone)}
    mine = [b for b in event.bookings if b.meeting_id != proposed.meeting_id]
    out: list[Clash] = []
    for pid in proposed.participant_ids:
        quota = event.grid.quotas.get(event.types.get(event.company_of.get(pid, ""), "")) or Quota()
        theirs = [b for b in mine if pid in b.participant_ids]
        out += _over(quota.max_per_participant, len(theirs), f"participant {pid}", "in all")
        same_day = sum(1 for b in theirs if days.get(b.starts_at) == slot.day)
        out += _over(quota.max_per_participant_per_day, same_day, f"participant {pid}", "that day")
    for registration in proposed.registration_ids:
        quota = event.grid.quotas.get(event.types.get(registration, "")) or Quota()
        theirs = [b for b in mine if registration in b.registration_ids]
        out += _over(quota.max_per_company, len(theirs), f"company {registration}", "in all")
        same_day = sum(1 for b in theirs if days.get(b.starts_at) == slot.day)
        out += _over(quota.max_per_company_per_day, same_day, f"company {registration}", "that day")
    return out


def _over(quota: int | None, others: int, who: str, when: str) -> list[Clash]:
    if quota is None or others + 1 <= quota:
        return []
    return [Clash(409, "slot", f"{who} would exceed its quota of {quota} meetings {when}")]
