"""Organisers add and list an event's participation types."""

from __future__ import annotations

from salon.kernel.caller import Caller
from salon.kernel.http import Router
from salon.kernel.routes import CONFIGURATION
from salon.registration import examples
from salon.registration.domain.commands import NewParticipationType
from salon.registration.domain.participation_types import ParticipationType, ParticipationTypeCreate
from salon.registration.responses import TypePage
from salon.registration.services import configuration

router = Router(CONFIGURATION)


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
