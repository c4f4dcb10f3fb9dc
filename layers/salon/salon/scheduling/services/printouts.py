"""Printable agendas: a participant's own (PDF, in their locale) and the organiser's table sheets
(one page per table, audited like the meeting list)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from salon.kernel import audit, keys
from salon.kernel.caller import Caller, require
from salon.kernel.errors import FieldError, ValidationFailed
from salon.kernel.principal import REVIEW
from salon.kernel.values import Locale, StrictModel, preferred_locale
from salon.registration.domain.events import Event
from salon.scheduling import deps
from salon.scheduling.domain import agenda_pdf
from salon.scheduling.domain.agenda_pdf import Party, Slot
from salon.scheduling.domain.grid import Label, pauses, tables
from salon.scheduling.services import agenda
from salon.scheduling.services.agenda import AgendaQuery, participation
from salon.scheduling.services.grid import event_of
from salon.scheduling.services.meetings import LIST_FIELDS, MeetingFilters, directory, of_event

PDF = "application/pdf"


class SheetsQuery(StrictModel):
    table: Label | None = None  # only this table's sheet
    locale: Locale | None = None  # else the Accept-Language header's, else the event's first


def my_agenda(caller: Caller, query: AgendaQuery) -> bytes:
    t, link = participation(caller, query.event_id)
    out = agenda.mine(caller, AgendaQuery(event_id=link["event_id"]))
    event = event_of(t, out.event_id)
    d = deps.get()
    own = str(link["registration_id"])
    me = d.platform.table.get(keys.registration_pk(t, own), keys.participant_sk(out.participant_id)) or {}
    sheet = next(iter(d.store.sheets(t, [own])), {})
    slots = [
        Slot(
            datetime.fromisoformat(m.starts_at),
            datetime.fromisoformat(m.ends_at),
            m.table,
            (Party(m.company_name, tuple(f"{a.first_name} {a.last_name}" for a in m.attendees)),),
        )
        for m in out.meetings
    ]
    slots += [
        Slot(datetime.fromisoformat(p.starts_at), datetime.fromisoformat(p.ends_at), pause=p.kind)
        for p in out.pauses
    ]
    return agenda_pdf.participant_agenda(
        event=_name(event, out.locale),
        participant=f"{me.get('first_name', '')} {me.get('last_name', '')}".strip(),
        company=str(sheet.get("company_name", "")),
        version=out.version,
        slots=slots,
        locale=out.locale,
    )


def table_sheets(caller: Caller, event_id: str, query: SheetsQuery) -> bytes:
    principal = require(caller, REVIEW)
    t = principal.tenant_id
    event = event_of(t, event_id)
    locale = query.locale or preferred_locale(caller.accept_language) or event.locales[0]
    grid, _ = deps.get().store.grid(t, event_id)
    labels = [spec.label for spec in tables(grid)] if grid else []
    if query.table is not None and query.table not in labels:
        raise ValidationFailed("no such table", errors=[FieldError("table", "not a table of the grid")])
    found = of_event(t, event_id, event.time_zone, MeetingFilters(table=query.table, status="scheduled"))
    names = directory(t, found)
    if found:
        audit.record(
            caller,
            role=principal.acting_role(REVIEW),
            action="meeting.table_sheets",
            subjects=[*sorted(names.companies), *sorted(names.people)],
            item_types=["meeting", "registration", "participant"],
            fields=LIST_FIELDS,
            purpose="schedule-venue",
            count=len(found),
        )
    zone = ZoneInfo(event.time_zone)
    breaks = [Slot(s, e, pause=kind) for kind, s, e in (pauses(grid, event.time_zone) if grid else [])]
    sheets: list[tuple[str, list[Slot]]] = []
    for label in [query.table] if query.table else labels:
        at_table = [
            Slot(
                datetime.fromisoformat(m["starts_at"]).astimezone(zone),
                datetime.fromisoformat(m["ends_at"]).astimezone(zone),
                label,
                tuple(
                    Party(p.company_name, tuple(f"{a.first_name} {a.last_name}" for a in p.attendees))
                    for p in names.parties(m)
                ),
            )
            for m in found
            if m["table"] == label
        ]
        if at_table or query.table:
            days = {s.starts_at.date() for s in at_table}
            sheets.append((label, at_table + [b for b in breaks if b.starts_at.date() in days]))
    return agenda_pdf.table_sheets(event=_name(event, locale), tables=sheets, locale=locale)


def _name(event: Event, locale: str) -> str:
    texts = event.name.model_dump(exclude_none=True)
    return str(texts.get(locale) or next(iter(texts.values()), ""))
