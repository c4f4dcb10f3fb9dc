"""Response models: results of the idempotent use cases, and the response bodies the OpenAPI document
describes (other bodies are built by services)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from salon.kernel.values import LocalizedText
from salon.registration.domain.events import Branding, DepositTerms, KeyDates
from salon.registration.domain.forms import FormField
from salon.registration.domain.participation_types import ParticipationType, TypeSummary
from salon.registration.domain.taxonomy import TaxonomyNode


class Out(BaseModel):
    """Built on first use: only idempotent use cases validate their results (to replay them)."""

    model_config = ConfigDict(defer_build=True)


class EventOut(Out):
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
    branding: Branding
    deposit: DepositTerms | None = None
    created_at: datetime
    updated_at: datetime
    version: int
    registration_open: bool


class EventPage(Out):
    items: list[EventOut]
    next_cursor: str | None


class FormOut(Out):
    event_id: str
    fields: list[FormField]
    version: int
    updated_at: str | None
    types: list[TypeSummary] | None = None


class TypePage(Out):
    items: list[ParticipationType]


class TaxonomyOut(Out):
    event_id: str
    nodes: list[TaxonomyNode]
    version: int
    updated_at: str | None


class ParticipantAccount(Out):
    participant_id: str
    account_status: str | None


class ParticipantRef(Out):
    participant_id: str


class RegistrationCreated(Out):
    """The public answer: the same shape and values whether an e-mail is known anywhere or not."""

    registration_id: str
    event_id: str
    state: str
    type: str
    completeness: int
    created_at: str
    participants: list[ParticipantRef]


class ConsentConfirmed(Out):
    """A fresh consent given through the e-mail's link: the registration is stored as submitted, or
    still awaits the consent of another erased participant of the same sheet."""

    registration_id: str
    state: Literal["submitted", "awaiting_consent"]


class RegistrationSummary(Out):
    registration_id: str
    event_id: str
    type: str
    state: str
    completeness: int
    decided_at: str | None
    decided_by: str | None
    participants: list[ParticipantAccount]


class ProfileOut(Out):
    needs: list[str]
    offers: list[str]
    description: dict[str, str]
    last_verified_at: str | None


class CompanyOut(Out):
    name: str | None
    country: str | None
    website: str | None
    answers: dict[str, Any] | None = None
    last_verified_at: str | None = None


class ParticipantOut(Out):
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
    # When the person was flagged for not confirming their data in time (cleared when they confirm).
    requalification_overdue_at: str | None = None
    profile: ProfileOut | None


class Participation(ParticipantOut):
    """One of the caller's own participations, with its registration's context."""

    event_id: str
    registration_id: str
    registration_state: str
    type: str
    company: CompanyOut


class RegistrationDetail(Out):
    registration_id: str
    event_id: str
    tenant_id: str
    type: str
    state: str
    locale: str | None
    completeness: int
    requalification_overdue: int = 0
    created_at: str
    updated_at: str | None
    decided_at: str | None
    decided_by: str | None
    decision_reason: str | None
    company: CompanyOut
    participants: list[ParticipantOut]


class ListedParticipant(Out):
    participant_id: str
    first_name: str | None
    last_name: str | None
    email: str | None
    account_status: str | None
    requalification_overdue_at: str | None = None


class ListedRegistration(Out):
    registration_id: str
    event_id: str
    type: str
    state: str
    company_name: str | None
    completeness: int
    requalification_overdue: int = 0  # participants flagged for not confirming their data in time
    created_at: str
    updated_at: str | None
    participants: list[ListedParticipant]


class RegistrationPage(Out):
    items: list[ListedRegistration]
    next_cursor: str | None


class Deactivated(Out):
    registration_id: str
    participant_id: str
    account_status: str


class MeOut(Out):
    user_id: str
    tenant_id: str
    participations: list[Participation]


class Health(Out):
    status: str
