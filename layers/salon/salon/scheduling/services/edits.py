"""Meetings changed by hand: the organiser moves, locks, cancels (`PATCH /meetings/{id}`) or creates
one (`POST /events/{id}/meetings`); a participant cancels one of theirs before the event's cut-off.
Each change is checked (`salon.scheduling.domain.edits`) and written in one transaction: the meeting,
the next agenda version of each of its participants with their `agenda.changed` event and, for
staff, the audit record."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field, model_validator

from salon.kernel import audit
from salon.kernel.caller import Caller, require
from salon.kernel.dynamo import Put, Update
from salon.kernel.errors import Conflict, FieldError, NotFound, ValidationFailed
from salon.kernel.principal import CONFIGURE, SELF
from salon.kernel.user_links import UserLinks
from salon.kernel.values import StrictModel, iso
from salon.scheduling import deps
from salon.scheduling.adapters.agenda_store import entries
from salon.scheduling.domain.agenda import Entry, Lock, Meeting, meeting_id
from salon.scheduling.domain.edits import (
    Booking,
    Situation,
    booking,
    clashes,
    raise_for,
    with_free_table,
)
from salon.scheduling.domain.grid import Grid, Id, Label, slots
from salon.scheduling.domain.problem import attendees
from salon.scheduling.services.agenda_writes import agenda_change
from salon.scheduling.services.grid import event_of


class MeetingPatch(StrictModel):
    slot: datetime | None = None  # the start of a grid slot (event time zone, or with an offset)
    table: Label | None = None
    locked: Lock | None = None
    cancel: Literal[True] | None = None

    @model_validator(mode="after")
    def _one_change(self) -> MeetingPatch:
        if self.cancel and (self.slot or self.table):
            raise ValueError("cancel alone, or slot / table / locked")
        if not (self.cancel or self.slot or self.table or self.locked):
            raise ValueError("nothing to change: give slot, table, locked or cancel")
        return self


class MeetingCreate(StrictModel):
    request_id: Id | None = None  # an approved request, or the two companies and who attends:
    registration_ids: tuple[Id, Id] | None = None
    participant_ids: list[Id] | None = Field(default=None, min_length=2, max_length=20)
    slot: datetime
    table: Label
    locked: Lock = "none"

    @model_validator(mode="after")
    def _request_or_companies(self) -> MeetingCreate:
        if (self.request_id is None) == (self.registration_ids is None):
            raise ValueError("give request_id, or registration_ids (with participant_ids)")
        return self


class MeetingOut(BaseModel):
    meeting_id: str
    event_id: str
    status: str
    starts_at: str
    ends_at: str
    table: str
    request_id: str | None
    registration_ids: list[str]
    participant_ids: list[str]
    locked: str
    agendas_changed: int


def edit(caller: Caller, meeting_id_: str, body: MeetingPatch) -> MeetingOut:
    principal = require(caller, CONFIGURE)
    t = principal.tenant_id
    meeting = _meeting(t, meeting_id_)
    if meeting["status"] != "scheduled":
        raise Conflict("the meeting is cancelled", errors=[FieldError("meeting_id", "cancelled")])
    event = event_of(t, meeting["event_id"])
    values: dict[str, Any] = {"locked": body.locked} if body.locked else {}
    after: Entry | None = _entry(meeting)
    if body.cancel:
        values |= {"status": "cancelled", "cancelled_by": principal.sub}
        after = None
    elif body.slot or body.table:
        grid = _grid(t, event.event_id)
        starts_at = (
            _aware(body.slot, event.time_zone) if body.slot else datetime.fromisoformat(meeting["starts_at"])
        )
        proposed = Booking(
            meeting["meeting_id"],
            starts_at,
            body.table or meeting["table"],
            tuple(meeting["registration_ids"]),
            tuple(meeting["participant_ids"]),
        )
        situation = _situation(t, event.event_id, event.time_zone, grid, proposed)
        if body.table is None:
            proposed = with_free_table(situation, proposed)
        raise_for(clashes(situation, proposed))
        after = _placed(proposed, grid, event.time_zone)
        values |= {"starts_at": after.starts_at, "ends_at": after.ends_at, "table": after.table}
    edit_id = f"edit_{uuid.uuid4().hex}"
    writes: list[Put | Update] = [
        deps.get().agendas.meeting_edit(
            t, event.event_id, meeting["meeting_id"], meeting["run_id"], edit_id, values
        )
    ]
    changed = _write(t, event.event_id, meeting, after, edit_id, writes, actor=principal.sub, audited=caller)
    return _out({**meeting, **values}, changed)


def create(caller: Caller, event_id: str, body: MeetingCreate) -> MeetingOut:
    principal = require(caller, CONFIGURE)
    t = principal.tenant_id
    event = event_of(t, event_id)
    grid = _grid(t, event_id)
    request_id, registrations, participants = _who(t, event_id, body)
    mid = meeting_id(t, event_id, request_id) if request_id else f"mtg_{uuid.uuid4().hex}"
    if any(m["status"] == "scheduled" for m in deps.get().agendas.meeting_items(t, event_id, [mid])):
        raise Conflict(
            "the request has a meeting already", errors=[FieldError("request_id", f"meeting {mid}")]
        )
    proposed = Booking(mid, _aware(body.slot, event.time_zone), body.table, registrations, participants)
    raise_for(clashes(_situation(t, event_id, event.time_zone, grid, proposed), proposed))
    after = _placed(proposed, grid, event.time_zone)
    edit_id = f"edit_{uuid.uuid4().hex}"
    meeting = Meeting(after, request_id, registrations, participants, body.locked)
    writes: list[Put | Update] = [
        deps.get().agendas.meeting_create(t, event_id, edit_id, meeting, iso(deps.get().clock()))
    ]
    item = {
        "meeting_id": mid,
        "event_id": event_id,
        "status": "scheduled",
        **after.as_item(),
        "request_id": request_id,
        "registration_ids": list(registrations),
        "participant_ids": list(participants),
        "locked": body.locked,
    }
    changed = _write(
        t,
        event_id,
        item,
        after,
        edit_id,
        writes,
        actor=principal.sub,
        audited=caller,
        action="meeting.create",
    )
    return _out(item, changed)


def cancel_mine(caller: Caller, meeting_id_: str) -> MeetingOut:
    """A participant cancels a meeting they attend, until the event's cut-off before it starts."""
    principal = require(caller, SELF)
    t = principal.tenant_id
    d = deps.get()
    meeting = _meeting(t, meeting_id_)
    mine = {
        link["participant_id"]
        for link in UserLinks(d.platform.table).of(t, principal.sub)
        if link["event_id"] == meeting["event_id"]
    }
    attending = mine & set(meeting["participant_ids"])
    if not attending:
        raise NotFound("no such meeting")
    if meeting["status"] != "scheduled":
        raise Conflict("the meeting is cancelled already", errors=[FieldError("meeting_id", "cancelled")])
    grid = _grid(t, meeting["event_id"])
    cutoff = datetime.fromisoformat(meeting["starts_at"]) - timedelta(hours=grid.cancel_cutoff_hours)
    if d.clock() >= cutoff:
        reason = f"meetings can be cancelled until {grid.cancel_cutoff_hours} h before they start"
        raise Conflict(reason, errors=[FieldError("meeting_id", reason)])
    values = {"status": "cancelled", "cancelled_by": sorted(attending)[0]}
    edit_id = f"edit_{uuid.uuid4().hex}"
    writes: list[Put | Update] = [
        d.agendas.meeting_edit(
            t, meeting["event_id"], meeting["meeting_id"], meeting["run_id"], edit_id, values
        )
    ]
    changed = _write(t, meeting["event_id"], meeting, None, edit_id, writes, actor=principal.sub)
    return _out({**meeting, **values}, changed)


# ---------------------------------------------------------------- reading


def _meeting(tenant_id: str, meeting_id_: str) -> dict[str, Any]:
    meeting = deps.get().agendas.locate(tenant_id, meeting_id_)
    if meeting is None:
        raise NotFound("no such meeting")
    return meeting


def _grid(tenant_id: str, event_id: str) -> Grid:
    grid, _ = deps.get().store.grid(tenant_id, event_id)
    if grid is None:
        raise ValidationFailed(
            "the event has no meeting grid", errors=[FieldError("event_id", "set the grid first")]
        )
    return grid


def _aware(at: datetime, time_zone: str) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=ZoneInfo(time_zone))


def _entry(meeting: dict[str, Any]) -> Entry:
    return Entry(meeting["meeting_id"], meeting["starts_at"], meeting["ends_at"], meeting["table"])


def _placed(proposed: Booking, grid: Grid, time_zone: str) -> Entry:
    slot = next(s for s in slots(grid, time_zone) if s.starts_at == proposed.starts_at)
    return Entry(proposed.meeting_id, slot.starts_at.isoformat(), slot.ends_at.isoformat(), proposed.table)


def _situation(tenant_id: str, event_id: str, time_zone: str, grid: Grid, proposed: Booking) -> Situation:
    """What the checks need: the event's scheduled meetings, who belongs to which company, types."""
    d = deps.get()
    sheets = d.store.sheets(tenant_id, sorted(set(proposed.registration_ids)))
    return Situation(
        grid=grid,
        time_zone=time_zone,
        types={s["registration_id"]: s["type"] for s in sheets},
        company_of={p: s["registration_id"] for s in sheets for p in s.get("participant_ids", [])},
        unavailability=d.store.unavailability(tenant_id, event_id),
        bookings=[
            booking(m) for m in d.agendas.meetings(tenant_id, event_id).values() if m["status"] == "scheduled"
        ],
    )


def _who(
    tenant_id: str, event_id: str, body: MeetingCreate
) -> tuple[str | None, tuple[str, str], tuple[str, ...]]:
    """(request id, the two registrations, who attends) of a meeting made by hand."""
    d = deps.get()
    if body.request_id is not None:
        request = d.requests.get(tenant_id, body.request_id)
        if request is None or request.event_id != event_id or request.state != "approved":
            raise ValidationFailed(
                "no approved request of this event",
                errors=[FieldError("request_id", "not an approved request of this event")],
            )
        registrations = (request.from_registration_id, request.to_registration_id)
        chosen = (tuple(request.from_participant_ids), tuple(request.to_participant_ids))
    else:
        assert body.registration_ids is not None
        registrations = body.registration_ids
        chosen = (tuple(body.participant_ids or ()), tuple(body.participant_ids or ()))
    sheets = {s["registration_id"]: s for s in d.store.sheets(tenant_id, sorted(set(registrations)))}
    if registrations[0] == registrations[1] or any(
        sheets.get(r, {}).get("event_id") != event_id for r in registrations
    ):
        raise ValidationFailed(
            "two companies of this event",
            errors=[FieldError("registration_ids", "two different registrations of this event")],
        )
    members = [
        tuple(s.get("participant_ids", [])) for s in (sheets[registrations[0]], sheets[registrations[1]])
    ]
    if body.participant_ids is not None:
        strangers = [p for p in body.participant_ids if not any(p in m for m in members)]
        if strangers:
            raise ValidationFailed(
                "participant of neither company",
                errors=[FieldError("participant_ids", f"{strangers[0]} belongs to neither company")],
            )
    people = tuple(attendees(chosen[0], members[0]) + attendees(chosen[1], members[1]))
    if len(people) < 2:
        raise ValidationFailed(
            "each company needs a participant",
            errors=[FieldError("participant_ids", "each company needs a participant")],
        )
    return body.request_id, registrations, people


# ---------------------------------------------------------------- writing


def _write(
    tenant_id: str,
    event_id: str,
    meeting: dict[str, Any],
    after: Entry | None,
    edit_id: str,
    writes: list[Put | Update],
    *,
    actor: str,
    audited: Caller | None = None,
    action: Literal["meeting.edit", "meeting.create"] = "meeting.edit",
) -> int:
    """The meeting's writes with each participant's next agenda and event, in one transaction;
    staff changes carry their audit record. Returns how many agendas changed."""
    d = deps.get()
    participants = list(meeting["participant_ids"])
    changed = 0
    for pid in participants:
        agenda = d.agendas.agenda(tenant_id, event_id, pid)
        kept = [e for e in entries(agenda) if e.meeting_id != meeting["meeting_id"]]
        next_entries = sorted(kept + ([after] if after else []), key=lambda e: (e.starts_at, e.meeting_id))
        change = agenda_change(
            tenant_id, event_id, pid, agenda, next_entries, origin_id=edit_id, actor_id=actor
        )
        if change is not None:
            writes += change.writes
            changed += 1
    if audited is not None:
        principal = audited.principal
        assert principal is not None
        recorded = audit.entry(
            audited,
            role=principal.acting_role(CONFIGURE),
            action=action,
            subjects=participants,
            item_types=["meeting", "agenda"],
            fields=["starts_at", "table", "status", "locked"],
            purpose="meeting-by-hand",
        )
        writes += audit.puts(recorded)
    d.agendas.commit(writes, "the meeting or an agenda changed meanwhile; reload and retry")
    return changed


def _out(meeting: dict[str, Any], changed: int) -> MeetingOut:
    return MeetingOut(
        meeting_id=meeting["meeting_id"],
        event_id=meeting["event_id"],
        status=meeting["status"],
        starts_at=meeting["starts_at"],
        ends_at=meeting["ends_at"],
        table=meeting["table"],
        request_id=meeting.get("request_id"),
        registration_ids=list(meeting["registration_ids"]),
        participant_ids=list(meeting["participant_ids"]),
        locked=str(meeting.get("locked", "none")),
        agendas_changed=changed,
    )
