"""Response models: they document the API in the generated OpenAPI (bodies are built by services)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from pydantic import BaseModel

from salon.kernel.audit_record import AuditRecord
from salon.kernel.values import LocalizedText
from salon.registration.domain.events import KeyDates
from salon.registration.domain.forms import FormField
from salon.registration.domain.participation_types import ParticipationType, TypeSummary
from salon.registration.domain.taxonomy import TaxonomyNode


class ProblemError(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details (``application/problem+json``)."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    request_id: str | None = None
    errors: list[ProblemError] | None = None


class EventOut(BaseModel):
    event_id: str
    tenant_id: str
    name: LocalizedText
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    locales: list[str]
    currency: str
    vat_mode: str
    status: str
    key_dates: KeyDates
    created_at: datetime
    updated_at: datetime
    version: int
    registration_open: bool


class EventPage(BaseModel):
    items: list[EventOut]
    next_cursor: str | None


class FormOut(BaseModel):
    event_id: str
    fields: list[FormField]
    version: int
    updated_at: str | None
    types: list[TypeSummary] | None = None


class TypePage(BaseModel):
    items: list[ParticipationType]


class TaxonomyOut(BaseModel):
    event_id: str
    nodes: list[TaxonomyNode]
    version: int
    updated_at: str | None


class ParticipantAccount(BaseModel):
    participant_id: str
    account_status: str | None


class ParticipantRef(BaseModel):
    participant_id: str


class RegistrationCreated(BaseModel):
    """The public answer: the same shape and values whether an e-mail is known anywhere or not."""

    registration_id: str
    event_id: str
    state: str
    type: str
    completeness: int
    created_at: str
    participants: list[ParticipantRef]


class RegistrationSummary(BaseModel):
    registration_id: str
    event_id: str
    type: str
    state: str
    completeness: int
    decided_at: str | None
    decided_by: str | None
    participants: list[ParticipantAccount]


class ProfileOut(BaseModel):
    needs: list[str]
    offers: list[str]
    description: dict[str, str]
    last_verified_at: str | None


class CompanyOut(BaseModel):
    name: str | None
    country: str | None
    website: str | None
    answers: dict[str, Any] | None = None
    last_verified_at: str | None = None


class ParticipantOut(BaseModel):
    participant_id: str
    first_name: str | None
    last_name: str | None
    email: str | None
    phone: str | None
    job_title: str | None
    locale: str | None
    answers: dict[str, Any]
    account_status: str | None
    last_verified_at: str | None
    profile: ProfileOut | None


class Participation(ParticipantOut):
    """One of the caller's own participations, with its registration's context."""

    event_id: str
    registration_id: str
    registration_state: str
    type: str
    company: CompanyOut


class RegistrationDetail(BaseModel):
    registration_id: str
    event_id: str
    tenant_id: str
    type: str
    state: str
    locale: str | None
    completeness: int
    created_at: str
    updated_at: str | None
    decided_at: str | None
    decided_by: str | None
    decision_reason: str | None
    company: CompanyOut
    participants: list[ParticipantOut]


class ListedParticipant(BaseModel):
    participant_id: str
    first_name: str | None
    last_name: str | None
    email: str | None
    account_status: str | None


class ListedRegistration(BaseModel):
    registration_id: str
    event_id: str
    type: str
    state: str
    company_name: str | None
    completeness: int
    created_at: str
    updated_at: str | None
    participants: list[ListedParticipant]


class RegistrationPage(BaseModel):
    items: list[ListedRegistration]
    next_cursor: str | None


class Deactivated(BaseModel):
    registration_id: str
    participant_id: str
    account_status: str


class MeOut(BaseModel):
    user_id: str
    tenant_id: str
    participations: list[Participation]


class AuditPage(BaseModel):
    items: list[AuditRecord]
    next_cursor: str | None


class Health(BaseModel):
    status: str


def _problem(title: str) -> OpenAPIResponse:
    return {"description": title, "content": {"application/problem+json": {"model": Problem}}}


PROBLEMS: dict[int, OpenAPIResponse] = {
    400: _problem("Malformed body"),
    401: _problem("Missing or invalid token"),
    403: _problem("Role not allowed"),
    404: _problem("Unknown id (or another tenant's)"),
    409: _problem("Conflict"),
    422: _problem("Validation failed"),
}


def responses(status: int, model: type[BaseModel], description: str = "OK") -> dict[int, OpenAPIResponse]:
    ok: OpenAPIResponse = {"description": description, "content": {"application/json": {"model": model}}}
    return {status: ok, **PROBLEMS}
