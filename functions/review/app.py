"""Staff review registrations over HTTP (list, read, decide, deactivate a participant) and read the
audit trail. Thin: routes -> services; every read of personal data here is audited by its service."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field
from salon.kernel import invocation, logs
from salon.kernel.audit_record import AuditPage
from salon.kernel.caller import Caller
from salon.kernel.http import Router
from salon.kernel.routes import REGISTRATION_REVIEW
from salon.kernel.values import PageQuery
from salon.privacy.services import audit_trail
from salon.registration import examples
from salon.registration.domain.commands import DeactivateParticipant, DecideRegistration
from salon.registration.domain.registrations import DecisionInput, State
from salon.registration.responses import (
    Deactivated,
    RegistrationDetail,
    RegistrationPage,
    RegistrationSummary,
)
from salon.registration.services import decisions, review

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logs.configure()
router = Router(REGISTRATION_REVIEW)


class RegistrationsQuery(PageQuery):
    state: State | None = None
    type: str | None = Field(default=None, max_length=32)
    q: str | None = Field(default=None, max_length=100)
    requalification: Literal["overdue"] | None = None


class AuditQuery(PageQuery):
    subject_id: str | None = Field(default=None, max_length=64)
    actor_id: str | None = Field(default=None, max_length=64)
    from_: datetime | None = Field(default=None, alias="from")
    to: datetime | None = None


@router.route("GET /events/{event_id}/registrations", response=RegistrationPage, query=RegistrationsQuery)
def list_registrations(caller: Caller, event_id: str, query: RegistrationsQuery) -> RegistrationPage:
    return review.list_registrations(
        caller,
        event_id,
        state=query.state,
        type_=query.type,
        q=query.q,
        page=query.page(),
        requalification_overdue=query.requalification == "overdue",
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
    invocation.begin(context)
    return router.handle(event)
