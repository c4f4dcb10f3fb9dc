"""Organisers set an event up over HTTP: the event, its registration form, participation types and
taxonomy. Thin: routes -> services (reading the form and taxonomy is public: the register function)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from salon.kernel import invocation, logs
from salon.kernel.caller import Caller
from salon.kernel.http import Router
from salon.kernel.routes import CONFIGURATION
from salon.kernel.values import PageQuery
from salon.registration import examples
from salon.registration.domain.commands import NewParticipationType
from salon.registration.domain.events import EventCreate, EventPatch
from salon.registration.domain.forms import FormInput
from salon.registration.domain.participation_types import ParticipationType, ParticipationTypeCreate
from salon.registration.domain.taxonomy import TaxonomyInput
from salon.registration.responses import EventOut, EventPage, FormOut, TaxonomyOut, TypePage
from salon.registration.services import configuration

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logs.configure()
router = Router(CONFIGURATION)


@router.route("POST /events", response=EventOut, status=201, body=EventCreate, example=examples.EVENT)
def create_event(caller: Caller, body: EventCreate) -> EventOut:
    return configuration.create_event(caller, body)


@router.route("GET /events", response=EventPage, query=PageQuery)
def list_events(caller: Caller, query: PageQuery) -> EventPage:
    return configuration.list_events(caller, query.page())


@router.route("GET /events/{event_id}", response=EventOut)
def get_event(caller: Caller, event_id: str) -> EventOut:
    return configuration.get_event(caller, event_id)


@router.route("PATCH /events/{event_id}", response=EventOut, body=EventPatch, example=examples.EVENT_PATCH)
def patch_event(caller: Caller, event_id: str, body: EventPatch) -> EventOut:
    return configuration.patch_event(caller, event_id, body)


@router.route("PUT /events/{event_id}/form", response=FormOut, body=FormInput, example=examples.FORM)
def put_form(caller: Caller, event_id: str, body: FormInput) -> FormOut:
    return configuration.put_form(caller, event_id, body)


@router.route(
    "POST /events/{event_id}/types",
    response=ParticipationType,
    status=201,
    body=ParticipationTypeCreate,
    example=examples.PARTICIPATION_TYPE,
)
def create_type(caller: Caller, event_id: str, body: ParticipationTypeCreate) -> ParticipationType:
    return configuration.create_type(caller, NewParticipationType(event_id=event_id, type=body))


@router.route("GET /events/{event_id}/types", response=TypePage)
def list_types(caller: Caller, event_id: str) -> TypePage:
    return configuration.list_types(caller, event_id)


@router.route(
    "PUT /events/{event_id}/taxonomy", response=TaxonomyOut, body=TaxonomyInput, example=examples.TAXONOMY
)
def put_taxonomy(caller: Caller, event_id: str, body: TaxonomyInput) -> TaxonomyOut:
    return configuration.put_taxonomy(caller, event_id, body)


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    invocation.begin(context)
    return router.handle(event)
