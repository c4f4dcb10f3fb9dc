"""The staff export of an event's meeting requests (CSV or XLSX), with company and participant names;
the read is audited like the listing."""

from __future__ import annotations

from typing import Literal

from salon.kernel import audit
from salon.kernel.caller import Caller, require
from salon.kernel.principal import REVIEW
from salon.kernel.spreadsheets import Separator, to_csv, to_xlsx
from salon.kernel.values import Locale
from salon.matchmaking import deps
from salon.matchmaking.domain.request_commands import StaffFilters
from salon.matchmaking.domain.requests_export import Directory, rows
from salon.matchmaking.services.request_lists import LIST_FIELDS, all_of_event, subjects_of
from salon.matchmaking.services.requests import event_of

Format = Literal["csv", "xlsx"]


def export_requests(
    caller: Caller,
    event_id: str,
    filters: StaffFilters,
    *,
    format_: Format,
    separator: Separator = ",",
    locale: Locale = "en",
) -> bytes:
    principal = require(caller, REVIEW)
    t = principal.tenant_id
    event = event_of(t, event_id)
    views = all_of_event(t, event_id, filters)
    companies = sorted({r for v in views for r in (v.from_registration_id, v.to_registration_id)})
    names = deps.get().requests.directory(t, companies)
    audit.record(
        caller,
        role=principal.acting_role(REVIEW),
        action="meeting_request.export",
        subjects=[*companies, *subjects_of(views)],
        item_types=["meeting_request", "registration", "participant"],
        fields=(*LIST_FIELDS, "company_name", "first_name", "last_name"),
        purpose="matchmaking-export",
        count=len(views),
    )
    table = rows(views, Directory(names[0], names[1]), event.time_zone, locale)
    return to_csv(table, separator) if format_ == "csv" else to_xlsx(table, "Requests")
