"""The organiser's meeting grid (with quotas and mass unavailability) and each participant's own
unavailability."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from salon.kernel import registry
from salon.kernel.caller import Caller, require
from salon.kernel.errors import Conflict, FieldError, NotFound, ValidationFailed
from salon.kernel.principal import CONFIGURE, READ_CONFIG, SELF
from salon.kernel.user_links import UserLinks
from salon.kernel.values import StrictModel, iso
from salon.registration.domain.events import Event
from salon.scheduling import deps
from salon.scheduling.domain.edits import Situation, booking, broken_by
from salon.scheduling.domain.grid import Grid, GridInput, Period, grid_errors


class GridOut(BaseModel):
    event_id: str
    time_zone: str
    grid: Grid | None
    version: int


class UnavailabilityInput(StrictModel):
    event_id: str | None = Field(default=None, min_length=1, max_length=64)
    periods: list[Period] = Field(max_length=50)


class UnavailabilityOut(BaseModel):
    event_id: str
    participant_id: str
    periods: list[Period]


def event_of(tenant_id: str, event_id: str) -> Event:
    event = deps.get().events.get_event(tenant_id, event_id)
    if event is None:
        raise NotFound("no such event")
    return event


def get_grid(caller: Caller, event_id: str) -> GridOut:
    principal = require(caller, READ_CONFIG)
    event = event_of(principal.tenant_id, event_id)
    grid, version = deps.get().store.grid(principal.tenant_id, event_id)
    return GridOut(event_id=event_id, time_zone=event.time_zone, grid=grid, version=version)


def put_grid(caller: Caller, event_id: str, body: GridInput) -> GridOut:
    """Replace the grid over the version it was read at (409 if it changed since)."""
    principal = require(caller, CONFIGURE)
    event = event_of(principal.tenant_id, event_id)
    d = deps.get()
    codes = {t.code for t in d.events.list_types(principal.tenant_id, event_id)}
    errors = grid_errors(body.grid, codes)
    if errors:
        raise ValidationFailed(
            "the grid breaks some rules", errors=[FieldError(f"grid.{e.field}", e.message) for e in errors]
        )
    _keeps_published_meetings(principal.tenant_id, event_id, event.time_zone, body.grid)
    d.store.put_grid(principal.tenant_id, event_id, body.grid, body.version + 1, iso(d.clock()))
    return GridOut(event_id=event_id, time_zone=event.time_zone, grid=body.grid, version=body.version + 1)


def _keeps_published_meetings(tenant_id: str, event_id: str, time_zone: str, grid: Grid) -> None:
    """409 naming the first scheduled meeting the new grid would make invalid (slot gone or moved,
    table gone, too small, closed or reserved, a participant blocked by the organiser, a quota)."""
    d = deps.get()
    scheduled = [m for m in d.agendas.meetings(tenant_id, event_id).values() if m["status"] == "scheduled"]
    if not scheduled:
        return
    sheets = d.store.sheets(tenant_id, sorted({r for m in scheduled for r in m["registration_ids"]}))
    situation = Situation(
        grid=grid,
        time_zone=time_zone,
        types={s["registration_id"]: s["type"] for s in sheets},
        company_of={p: s["registration_id"] for s in sheets for p in s.get("participant_ids", [])},
        unavailability={},  # the participants' own unavailability is not the grid's to keep
        bookings=[booking(m) for m in scheduled],
    )
    broken = broken_by(situation, {m["meeting_id"]: datetime.fromisoformat(m["ends_at"]) for m in scheduled})
    if broken is not None:
        mid, clash = broken
        raise Conflict(
            f"the grid would break published meeting {mid}: {clash.message}",
            errors=[FieldError(f"grid.{clash.field}", f"meeting {mid}: {clash.message}")],
        )


def put_my_unavailability(caller: Caller, body: UnavailabilityInput) -> UnavailabilityOut:
    principal = require(caller, SELF)
    d = deps.get()
    links = UserLinks(d.platform.table).of(principal.tenant_id, principal.sub)
    if body.event_id is not None:
        links = [link for link in links if link["event_id"] == body.event_id]
    if len(links) != 1:
        reason = "required: you take part in several events" if links else "no participation in this event"
        raise ValidationFailed(reason, errors=[FieldError("event_id", reason)])
    link = links[0]
    for i, period in enumerate(body.periods):
        if (period.starts_at.tzinfo is None) != (
            period.ends_at.tzinfo is None
        ) or period.ends_at <= period.starts_at:
            raise ValidationFailed(
                "invalid period",
                errors=[
                    FieldError(
                        f"periods[{i}]", "ends_at must follow starts_at, both local or both with an offset"
                    )
                ],
            )
    event = event_of(principal.tenant_id, link["event_id"])
    d.store.put_unavailability(
        principal.tenant_id,
        event.event_id,
        link["participant_id"],
        body.periods,
        iso(d.clock()),
        registry.expires_at("unavailability", event.ends_at),
    )
    return UnavailabilityOut(
        event_id=event.event_id, participant_id=link["participant_id"], periods=body.periods
    )
