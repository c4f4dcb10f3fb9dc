"""Organisers create, list, read and change their events."""

from __future__ import annotations

from salon.kernel.caller import Caller
from salon.kernel.http import Router
from salon.kernel.routes import CONFIGURATION
from salon.kernel.values import PageQuery
from salon.registration import examples
from salon.registration.domain.events import EventCreate, EventPatch
from salon.registration.responses import EventOut, EventPage
from salon.registration.services import configuration

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
