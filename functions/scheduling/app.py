"""Scheduling area over HTTP: the meeting grid, unavailability, scheduling runs, agendas (JSON, PDF,
the calendar feed's address) and the organiser's meeting list, exports and table sheets. Thin:
routes -> services (salon.scheduling). The calendar feed itself is calendar_feed.py (its own function)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from salon.kernel import logs
from salon.kernel.caller import Caller
from salon.kernel.http import JSON, Download, Router
from salon.kernel.routes import SCHEDULING
from salon.scheduling import examples
from salon.scheduling.domain.grid import GridInput
from salon.scheduling.domain.runs import RunInput
from salon.scheduling.services import agenda, calendar, edits, grid, meetings, printouts, runs
from salon.scheduling.services.agenda import AgendaOut, AgendaQuery
from salon.scheduling.services.calendar import CalendarRevoked, CalendarUrl
from salon.scheduling.services.edits import MeetingCreate, MeetingOut, MeetingPatch
from salon.scheduling.services.grid import GridOut, UnavailabilityInput, UnavailabilityOut
from salon.scheduling.services.meetings import MeetingPage, MeetingsQuery
from salon.scheduling.services.printouts import PDF, SheetsQuery
from salon.scheduling.services.runs import RunOut, RunStarted

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logs.configure()
router = Router(SCHEDULING)


@router.route("PUT /events/{event_id}/grid", response=GridOut, body=GridInput, example=examples.GRID)
def put_grid(caller: Caller, event_id: str, body: GridInput) -> GridOut:
    return grid.put_grid(caller, event_id, body)


@router.route("GET /events/{event_id}/grid", response=GridOut)
def get_grid(caller: Caller, event_id: str) -> GridOut:
    return grid.get_grid(caller, event_id)


@router.route(
    "PUT /me/unavailability",
    response=UnavailabilityOut,
    body=UnavailabilityInput,
    example=examples.UNAVAILABILITY,
)
def put_my_unavailability(caller: Caller, body: UnavailabilityInput) -> UnavailabilityOut:
    return grid.put_my_unavailability(caller, body)


@router.route(
    "POST /events/{event_id}/schedule-runs",
    response=RunStarted,
    status=202,
    body=RunInput,
    example=examples.RUN,
)
def start_run(caller: Caller, event_id: str, body: RunInput) -> RunStarted:
    return runs.start(caller, event_id, body)


@router.route("GET /schedule-runs/{run_id}", response=RunOut)
def get_run(caller: Caller, run_id: str) -> RunOut:
    return runs.get(caller, run_id)


@router.route("POST /schedule-runs/{run_id}/cancel", response=RunOut)
def cancel_run(caller: Caller, run_id: str) -> RunOut:
    return runs.cancel(caller, run_id)


@router.route("POST /schedule-runs/{run_id}/publish", response=RunStarted, status=202)
def publish_run(caller: Caller, run_id: str) -> RunStarted:
    return runs.publish(caller, run_id)


@router.route("GET /me/agenda", response=AgendaOut, query=AgendaQuery)
def my_agenda(caller: Caller, query: AgendaQuery) -> AgendaOut:
    return agenda.mine(caller, query)


@router.route("PATCH /meetings/{meeting_id}", response=MeetingOut, body=MeetingPatch, example=examples.MOVE)
def edit_meeting(caller: Caller, meeting_id: str, body: MeetingPatch) -> MeetingOut:
    return edits.edit(caller, meeting_id, body)


@router.route(
    "POST /events/{event_id}/meetings",
    response=MeetingOut,
    status=201,
    body=MeetingCreate,
    example=examples.CREATE_MEETING,
)
def create_meeting(caller: Caller, event_id: str, body: MeetingCreate) -> MeetingOut:
    return edits.create(caller, event_id, body)


@router.route("POST /me/meetings/{meeting_id}/cancel", response=MeetingOut)
def cancel_my_meeting(caller: Caller, meeting_id: str) -> MeetingOut:
    return edits.cancel_mine(caller, meeting_id)


@router.route("GET /me/agenda.pdf", response=None, query=AgendaQuery, produces=(PDF,))
def my_agenda_pdf(caller: Caller, query: AgendaQuery, media_type: str) -> Download:
    return Download(printouts.my_agenda(caller, query), media_type, "agenda.pdf")


@router.route("GET /me/calendar-url", response=CalendarUrl, query=AgendaQuery)
def my_calendar_url(caller: Caller, query: AgendaQuery) -> CalendarUrl:
    return calendar.url(caller, query)


@router.route("DELETE /me/calendar-url", response=CalendarRevoked, query=AgendaQuery)
def revoke_my_calendar_url(caller: Caller, query: AgendaQuery) -> CalendarRevoked:
    return calendar.revoke(caller, query)


@router.route(
    "GET /events/{event_id}/meetings",
    response=MeetingPage,
    query=MeetingsQuery,
    produces=(meetings.CSV, meetings.XLSX),
)
def list_meetings(
    caller: Caller, event_id: str, query: MeetingsQuery, media_type: str
) -> MeetingPage | Download:
    if media_type == JSON:
        return meetings.list_event(caller, event_id, query)
    format_: meetings.Format = "csv" if media_type == meetings.CSV else "xlsx"
    content = meetings.export_event(caller, event_id, query, format_)
    return Download(content, media_type, f"meetings-{event_id}.{format_}")


@router.route("GET /events/{event_id}/table-sheets.pdf", response=None, query=SheetsQuery, produces=(PDF,))
def table_sheets_pdf(caller: Caller, event_id: str, query: SheetsQuery, media_type: str) -> Download:
    return Download(
        printouts.table_sheets(caller, event_id, query), media_type, f"table-sheets-{event_id}.pdf"
    )


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return router.handle(event)
