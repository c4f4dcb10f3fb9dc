"""The organiser's view of an event's published meetings: filtered, in time order, page by page or as a
CSV/XLSX export, with both companies and their attendees by name. Every read is audited."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from salon.kernel import audit, keys
from salon.kernel.audit_record import AuditAction
from salon.kernel.caller import Caller, require
from salon.kernel.errors import FieldError, ValidationFailed
from salon.kernel.principal import REVIEW
from salon.kernel.spreadsheets import Separator, to_csv, to_xlsx
from salon.kernel.values import Locale, StrictModel
from salon.scheduling import deps
from salon.scheduling.domain.grid import Id, Label
from salon.scheduling.domain.meeting_list import Attendee, MeetingView, Party, rows
from salon.scheduling.services.grid import event_of

CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Format = Literal["csv", "xlsx"]
Status = Literal["scheduled", "cancelled"]
LIST_FIELDS = (
    "starts_at",
    "table",
    "registration_ids",
    "participant_ids",
    "company_name",
    "first_name",
    "last_name",
)


class MeetingFilters(StrictModel):
    participant_id: Id | None = None
    registration_id: Id | None = None  # a company
    table: Label | None = None
    starts_at: datetime | None = None  # the slot's start
    day: date | None = None  # in the event's time zone
    status: Status | None = None


class MeetingsQuery(MeetingFilters):
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = Field(default=None, max_length=512)
    # Exports only: the CSV separator (";" for Excel in French) and the language of the headers.
    separator: Separator = ","
    locale: Locale = "en"

    def filters(self) -> MeetingFilters:
        return MeetingFilters.model_validate(self.model_dump(include=set(MeetingFilters.model_fields)))


class MeetingPage(BaseModel):
    items: list[MeetingView]
    next_cursor: str | None


@dataclass(frozen=True)
class Directory:
    """Names of the companies and people of some meetings."""

    companies: dict[str, str]
    people: dict[str, dict[str, Any]]

    def parties(self, meeting: dict[str, Any]) -> list[Party]:
        return [
            Party(
                registration_id=r,
                company_name=self.companies.get(r, ""),
                attendees=[
                    Attendee(
                        participant_id=p,
                        first_name=str(person.get("first_name", "")),
                        last_name=str(person.get("last_name", "")),
                    )
                    for p in meeting["participant_ids"]
                    if (person := self.people.get(p)) and person.get("registration_id") == r
                ],
            )
            for r in meeting["registration_ids"]
        ]


def directory(tenant_id: str, meetings: Sequence[dict[str, Any]]) -> Directory:
    d = deps.get()
    companies = sorted({r for m in meetings for r in m["registration_ids"]})
    sheets = d.store.sheets(tenant_id, companies)
    members = sorted({(r, p) for m in meetings for r in m["registration_ids"] for p in m["participant_ids"]})
    found = d.platform.table.batch_get(
        [{"PK": keys.registration_pk(tenant_id, r), "SK": keys.participant_sk(p)} for r, p in members]
    )
    return Directory(
        {str(s["registration_id"]): str(s.get("company_name", "")) for s in sheets},
        {str(i["participant_id"]): dict(i) for i in found},
    )


def of_event(tenant_id: str, event_id: str, time_zone: str, filters: MeetingFilters) -> list[dict[str, Any]]:
    """The event's meetings matching the filters, in time order (then table)."""
    zone = ZoneInfo(time_zone)

    def matches(m: dict[str, Any]) -> bool:
        starts = datetime.fromisoformat(m["starts_at"])
        return (
            (filters.participant_id is None or filters.participant_id in m["participant_ids"])
            and (filters.registration_id is None or filters.registration_id in m["registration_ids"])
            and (filters.table is None or filters.table == m["table"])
            and (filters.starts_at is None or _instant(filters.starts_at, zone) == starts)
            and (filters.day is None or starts.astimezone(zone).date() == filters.day)
            and (filters.status is None or filters.status == m["status"])
        )

    found = [m for m in deps.get().agendas.meetings(tenant_id, event_id).values() if matches(m)]
    return sorted(found, key=_order)


def list_event(caller: Caller, event_id: str, query: MeetingsQuery) -> MeetingPage:
    principal = require(caller, REVIEW)
    t = principal.tenant_id
    event = event_of(t, event_id)
    found = of_event(t, event_id, event.time_zone, query.filters())
    after = _decode(query.cursor)
    if after is not None:
        found = [m for m in found if _order(m) > after]
    page, more = found[: query.limit], len(found) > query.limit
    names = directory(t, page)
    _audit(caller, "meeting.list", page, names)
    zone = ZoneInfo(event.time_zone)
    return MeetingPage(
        items=[_view(m, names, zone) for m in page],
        next_cursor=_encode(_order(page[-1])) if more else None,
    )


def export_event(caller: Caller, event_id: str, query: MeetingsQuery, format_: Format) -> bytes:
    principal = require(caller, REVIEW)
    t = principal.tenant_id
    event = event_of(t, event_id)
    found = of_event(t, event_id, event.time_zone, query.filters())
    names = directory(t, found)
    _audit(caller, "meeting.export", found, names)
    table = rows([_view(m, names, ZoneInfo(event.time_zone)) for m in found], query.locale)
    return to_csv(table, query.separator) if format_ == "csv" else to_xlsx(table, "Meetings")


def _view(m: dict[str, Any], names: Directory, zone: ZoneInfo) -> MeetingView:
    return MeetingView(
        meeting_id=m["meeting_id"],
        status=m["status"],
        starts_at=datetime.fromisoformat(m["starts_at"]).astimezone(zone).isoformat(),
        ends_at=datetime.fromisoformat(m["ends_at"]).astimezone(zone).isoformat(),
        table=m["table"],
        locked=bool(m.get("locked", False)),
        request_id=str(m.get("request_id", "")),
        parties=names.parties(m),
    )


def _audit(caller: Caller, action: AuditAction, meetings: Sequence[dict[str, Any]], names: Directory) -> None:
    if not meetings:
        return
    principal = require(caller, REVIEW)
    audit.record(
        caller,
        role=principal.acting_role(REVIEW),
        action=action,
        subjects=[*sorted(names.companies), *sorted(names.people)],
        item_types=["meeting", "registration", "participant"],
        fields=LIST_FIELDS,
        purpose="schedule-review",
        count=len(meetings),
    )


def _instant(at: datetime, zone: ZoneInfo) -> datetime:
    """A slot's start as given: local (naive) in the event's time zone, or with an offset."""
    return at if at.tzinfo else at.replace(tzinfo=zone)


def _order(m: dict[str, Any]) -> tuple[str, str, str]:
    starts = datetime.fromisoformat(m["starts_at"]).astimezone(ZoneInfo("UTC")).isoformat()
    return starts, str(m["table"]), str(m["meeting_id"])


def _encode(key: tuple[str, str, str]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode().rstrip("=")


def _decode(cursor: str | None) -> tuple[str, str, str] | None:
    if cursor is None:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise ValidationFailed("invalid cursor", errors=[FieldError("cursor", "invalid cursor")]) from exc
    if not (isinstance(key, list) and len(key) == 3 and all(isinstance(k, str) for k in key)):
        raise ValidationFailed("invalid cursor", errors=[FieldError("cursor", "invalid cursor")])
    return key[0], key[1], key[2]
