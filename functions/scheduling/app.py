"""Scheduling area over HTTP: the meeting grid, unavailability and scheduling runs. Thin: routes ->
services (salon.scheduling)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from salon.kernel import logs
from salon.kernel.caller import Caller
from salon.kernel.http import Router
from salon.kernel.routes import SCHEDULING
from salon.scheduling import examples
from salon.scheduling.domain.grid import GridInput
from salon.scheduling.domain.runs import RunInput
from salon.scheduling.services import agenda, edits, grid, publish, runs
from salon.scheduling.services.agenda import AgendaOut, AgendaQuery
from salon.scheduling.services.edits import MeetingCreate, MeetingOut, MeetingPatch
from salon.scheduling.services.grid import GridOut, UnavailabilityInput, UnavailabilityOut
from salon.scheduling.services.publish import Published
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


@router.route("POST /schedule-runs/{run_id}/publish", response=Published)
def publish_run(caller: Caller, run_id: str) -> Published:
    return publish.publish(caller, run_id)


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


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return router.handle(event)
