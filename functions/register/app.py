"""Registration area over HTTP: events configuration, registrations, /me, audit. Thin: routes -> services.

Each operation is bound to a route of ``salon.kernel.routes`` (which says who may call it); the router
validates path ids, query strings and bodies, then calls the service with the caller.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field
from salon.kernel import idempotency, logs
from salon.kernel.audit_record import AuditPage
from salon.kernel.caller import Caller
from salon.kernel.http import Router
from salon.kernel.routes import REGISTER
from salon.kernel.values import Page
from salon.privacy.services import audit_trail
from salon.registration import examples
from salon.registration.domain.commands import (
    DeactivateParticipant,
    DecideRegistration,
    NewParticipationType,
    SubmitRegistration,
)
from salon.registration.domain.events import EventCreate, EventPatch
from salon.registration.domain.forms import FormInput
from salon.registration.domain.participants import MePatch, ProfileInput
from salon.registration.domain.participation_types import ParticipationType, ParticipationTypeCreate
from salon.registration.domain.registrations import DecisionInput, RegistrationCreate, State
from salon.registration.domain.taxonomy import TaxonomyInput
from salon.registration.responses import (
    Deactivated,
    EventOut,
    EventPage,
    FormOut,
    Health,
    MeOut,
    RegistrationCreated,
    RegistrationDetail,
    RegistrationPage,
    RegistrationSummary,
    TaxonomyOut,
    TypePage,
)
from salon.registration.services import configuration, decisions, me, review, submission

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logs.configure()
router = Router(REGISTER)


class PageQuery(BaseModel):
    model_config = ConfigDict(defer_build=True)

    limit: int = Field(default=25, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=2048)

    def page(self) -> Page:
        return Page(limit=self.limit, cursor=self.cursor)


class RegistrationsQuery(PageQuery):
    state: State | None = None
    type: str | None = Field(default=None, max_length=32)
    q: str | None = Field(default=None, max_length=100)


class AuditQuery(PageQuery):
    subject_id: str | None = Field(default=None, max_length=64)
    actor_id: str | None = Field(default=None, max_length=64)
    from_: datetime | None = Field(default=None, alias="from")
    to: datetime | None = None


@router.route("GET /health", response=Health)
def health(caller: Caller) -> Health:
    return Health(status="ok")


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


@router.route("GET /events/{event_id}/form", response=FormOut)
def get_form(caller: Caller, event_id: str) -> FormOut:
    return configuration.get_form(caller, event_id)


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


@router.route("GET /events/{event_id}/taxonomy", response=TaxonomyOut)
def get_taxonomy(caller: Caller, event_id: str) -> TaxonomyOut:
    return configuration.get_taxonomy(caller, event_id)


@router.route(
    "POST /events/{event_id}/registrations",
    response=RegistrationCreated,
    status=201,
    body=RegistrationCreate,
    example=examples.REGISTRATION,
)
def submit_registration(caller: Caller, event_id: str, body: RegistrationCreate) -> RegistrationCreated:
    return submission.submit(caller, SubmitRegistration(event_id=event_id, registration=body))


@router.route("GET /events/{event_id}/registrations", response=RegistrationPage, query=RegistrationsQuery)
def list_registrations(caller: Caller, event_id: str, query: RegistrationsQuery) -> RegistrationPage:
    return review.list_registrations(
        caller, event_id, state=query.state, type_=query.type, q=query.q, page=query.page()
    )


@router.route("GET /registrations/{registration_id}", response=RegistrationDetail)
def get_registration(caller: Caller, registration_id: str) -> RegistrationDetail:
    return review.get_registration(caller, registration_id)


@router.route(
    "POST /registrations/{registration_id}/decision",
    response=RegistrationSummary,
    body=DecisionInput,
    example=examples.DECISION,
)
def decide(caller: Caller, registration_id: str, body: DecisionInput) -> RegistrationSummary:
    return decisions.decide(caller, DecideRegistration(registration_id=registration_id, decision=body))


@router.route(
    "POST /registrations/{registration_id}/participants/{participant_id}/deactivate", response=Deactivated
)
def deactivate(caller: Caller, registration_id: str, participant_id: str) -> Deactivated:
    command = DeactivateParticipant(registration_id=registration_id, participant_id=participant_id)
    return decisions.deactivate(caller, command)


@router.route("GET /me", response=MeOut)
def get_me(caller: Caller) -> MeOut:
    return me.get_me(caller)


@router.route("PATCH /me", response=MeOut, body=MePatch, example=examples.ME_PATCH)
def patch_me(caller: Caller, body: MePatch) -> MeOut:
    return me.patch_me(caller, body)


@router.route("PUT /me/profile", response=MeOut, body=ProfileInput, example=examples.PROFILE)
def put_profile(caller: Caller, body: ProfileInput) -> MeOut:
    return me.put_profile(caller, body)


@router.route("GET /audit", response=AuditPage, query=AuditQuery)
def read_audit(caller: Caller, query: AuditQuery) -> AuditPage:
    return audit_trail.query(
        caller,
        subject_id=query.subject_id,
        actor_id=query.actor_id,
        start=query.from_,
        end=query.to,
        page=query.page(),
    )


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    idempotency.register_context(context)
    return router.handle(event)
