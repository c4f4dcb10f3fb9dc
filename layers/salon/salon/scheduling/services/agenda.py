"""A participant's published agenda: their meetings (times in the event's time zone, table, the other
company and its attending participants), the grid's pauses, the version, and their approved requests
left out with a reason they can read."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from salon.kernel import keys
from salon.kernel.caller import Caller, require
from salon.kernel.errors import FieldError, ValidationFailed
from salon.kernel.principal import SELF
from salon.kernel.user_links import UserLinks
from salon.kernel.values import StrictModel
from salon.scheduling import deps
from salon.scheduling.domain.agenda import reason_kind, reason_text
from salon.scheduling.domain.grid import pauses
from salon.scheduling.services.grid import event_of


class AgendaQuery(StrictModel):
    event_id: str | None = Field(default=None, min_length=1, max_length=64)


class Attendee(BaseModel):
    first_name: str
    last_name: str
    job_title: str | None = None


class AgendaMeeting(BaseModel):
    meeting_id: str
    starts_at: str
    ends_at: str
    table: str
    company_name: str
    attendees: list[Attendee]


class AgendaPause(BaseModel):
    kind: str
    starts_at: str
    ends_at: str


class Unscheduled(BaseModel):
    request_id: str
    company_name: str
    reason: str  # agenda_full | no_common_free_slot
    message: str  # in the participant's locale


class AgendaOut(BaseModel):
    event_id: str
    participant_id: str
    version: int  # 0: nothing published yet
    locale: str  # the participant's (messages are in it)
    meetings: list[AgendaMeeting]
    pauses: list[AgendaPause]
    unscheduled: list[Unscheduled]


def _local(at: str, zone: ZoneInfo) -> str:
    return datetime.fromisoformat(at).astimezone(zone).isoformat()


def participation(caller: Caller, event_id: str | None) -> tuple[str, dict[str, Any]]:
    """The calling participant's tenant and link (event, registration and participant ids) in the
    event named, or in their only event."""
    principal = require(caller, SELF)
    t = principal.tenant_id
    links = UserLinks(deps.get().platform.table).of(t, principal.sub)
    if event_id is not None:
        links = [link for link in links if link["event_id"] == event_id]
    if len(links) != 1:
        reason = "required: you take part in several events" if links else "no participation in this event"
        raise ValidationFailed(reason, errors=[FieldError("event_id", reason)])
    return t, dict(links[0])


def mine(caller: Caller, query: AgendaQuery) -> AgendaOut:
    t, link = participation(caller, query.event_id)
    d = deps.get()
    pid, own = link["participant_id"], link["registration_id"]
    event = event_of(t, link["event_id"])
    zone = ZoneInfo(event.time_zone)
    agenda = d.agendas.agenda(t, event.event_id, pid)
    items = d.agendas.meeting_items(t, event.event_id, list(agenda["meeting_ids"]) if agenda else [])
    items = sorted((m for m in items if m["status"] == "scheduled"), key=lambda m: m["starts_at"])
    unscheduled = _left_out(t, event.event_id, own)
    other = {r for m in items for r in m["registration_ids"] if r != own} | {r for r, _ in unscheduled}
    sheets = {s["registration_id"]: s for s in d.store.sheets(t, sorted(other))}
    people = _people(t, items)
    me = people.get(pid) or _person(t, own, pid)
    locale = str(me.get("locale") or (event.locales[0] if event.locales else "en"))
    grid, _ = d.store.grid(t, event.event_id)
    return AgendaOut(
        event_id=event.event_id,
        participant_id=pid,
        version=int(agenda["version"]) if agenda else 0,
        locale=locale,
        meetings=[
            AgendaMeeting(
                meeting_id=m["meeting_id"],
                starts_at=_local(m["starts_at"], zone),
                ends_at=_local(m["ends_at"], zone),
                table=m["table"],
                company_name=str(sheets.get(theirs, {}).get("company_name", "")),
                attendees=[
                    Attendee(
                        first_name=str(p.get("first_name", "")),
                        last_name=str(p.get("last_name", "")),
                        job_title=p.get("job_title"),
                    )
                    for other_pid in m["participant_ids"]
                    if (p := people.get(other_pid)) and p["registration_id"] == theirs
                ],
            )
            for m in items
            for theirs in [next(r for r in m["registration_ids"] if r != own)]
        ],
        pauses=[
            AgendaPause(kind=kind, starts_at=s.isoformat(), ends_at=e.isoformat())
            for kind, s, e in (pauses(grid, event.time_zone) if grid else [])
        ],
        unscheduled=[
            Unscheduled(
                request_id=rid,
                company_name=str(sheets.get(registration, {}).get("company_name", "")),
                reason=kind,
                message=reason_text(kind, locale),
            )
            for registration, (rid, kind) in unscheduled
        ],
    )


def _left_out(tenant_id: str, event_id: str, own: str) -> list[tuple[str, tuple[str, Any]]]:
    """(other registration, (request id, reason kind)) of the company's approved requests the
    published run left out."""
    d = deps.get()
    run_id = d.store.published_run_id(tenant_id, event_id)
    run = d.store.run(tenant_id, run_id) if run_id else None
    if run is None:
        return []
    reasons = {u["request_id"]: u["reason"] for u in run.get("statistics", {}).get("unscheduled", [])}
    out: list[tuple[str, tuple[str, Any]]] = []
    for request in _approved_of(tenant_id, event_id, own):
        if request.request_id in reasons:
            theirs = (
                request.to_registration_id
                if request.from_registration_id == own
                else request.from_registration_id
            )
            out.append((theirs, (request.request_id, reason_kind(reasons[request.request_id]))))
    return out


def _approved_of(tenant_id: str, event_id: str, registration_id: str) -> list[Any]:
    """The company's approved requests, sent and received."""
    repo = deps.get().requests
    found: list[Any] = []
    cursor: str | None = None
    while True:
        page, cursor = repo.sent(tenant_id, event_id, registration_id, "approved", 200, cursor)
        found += page
        if not cursor:
            break
    while True:
        page, cursor = repo.received(tenant_id, registration_id, "approved", 200, cursor)
        found += page
        if not cursor:
            return found


def _people(tenant_id: str, items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The meetings' attending participants (id -> participant item), in one batch read."""
    wanted = {(r, p) for m in items for p in m["participant_ids"] for r in m["registration_ids"]}
    table = deps.get().platform.table
    found = table.batch_get(
        [{"PK": keys.registration_pk(tenant_id, r), "SK": keys.participant_sk(p)} for r, p in sorted(wanted)]
    )
    return {str(i["participant_id"]): dict(i) for i in found}


def _person(tenant_id: str, registration_id: str, participant_id: str) -> dict[str, Any]:
    item = deps.get().platform.table.get(
        keys.registration_pk(tenant_id, registration_id), keys.participant_sk(participant_id)
    )
    return dict(item) if item else {}
