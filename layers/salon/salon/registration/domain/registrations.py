"""Registrations: a company sheet with participants, a type, states and completeness."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from salon.kernel.errors import InvalidTransition
from salon.kernel.values import (
    DEFAULT_LOCALE,
    Country,
    Email,
    Locale,
    Name,
    Phone,
    ShortText,
    StrictModel,
    check_size,
    fold,
)
from salon.registration.domain.forms import BUILTIN_COMPANY, FormField, is_answered, visible_fields

State = Literal["submitted", "validated", "refused"]
Decision = Literal["validate", "refuse"]
# none: no login (not validated); pending: validated, login not opened yet (Cognito failed).
AccountStatus = Literal["none", "pending", "active", "deactivated"]
AWAITING_LOGIN: frozenset[AccountStatus] = frozenset({"none", "pending"})
MAX_PARTICIPANTS = 20

# The state machine: state -> decision -> next state.
TRANSITIONS: dict[str, dict[str, State]] = {
    "submitted": {"validate": "validated", "refuse": "refused"},
    "validated": {},
    "refused": {},
}


def next_state(current: str, decision: str) -> State:
    target = TRANSITIONS.get(current, {}).get(decision)
    if target is None:
        raise InvalidTransition(f"a {current} registration cannot be decided ({decision})")
    return target


Answers = dict[str, Any]
Website = Annotated[str, StringConstraints(max_length=300, pattern=r"^https?://\S+$")]


ANSWERS_BUDGET = 32_000


def _within_budget(value: Answers) -> Answers:
    check_size(value, ANSWERS_BUDGET, "answers")
    return value


BoundedAnswers = Annotated[Answers, AfterValidator(_within_budget)]


class CompanyInput(StrictModel):
    name: Name
    country: Country
    website: Website | None = None
    answers: BoundedAnswers = Field(default_factory=dict)


class ParticipantInput(StrictModel):
    first_name: Name
    last_name: Name
    email: Email
    phone: Phone | None = None
    job_title: ShortText | None = None
    locale: Locale | None = None
    answers: BoundedAnswers = Field(default_factory=dict)


class RegistrationCreate(StrictModel):
    type: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    locale: Locale = DEFAULT_LOCALE
    company: CompanyInput
    participants: list[ParticipantInput] = Field(min_length=1, max_length=MAX_PARTICIPANTS)

    @model_validator(mode="after")
    def _unique_emails(self) -> RegistrationCreate:
        seen: dict[str, int] = {}
        for i, participant in enumerate(self.participants):
            if participant.email in seen:
                raise ValueError(
                    f"participants[{i}].email repeats participants[{seen[participant.email]}].email"
                )
            seen[participant.email] = i
        return self


class DecisionInput(StrictModel):
    decision: Decision
    reason: Annotated[str, StringConstraints(max_length=1000)] | None = None

    @model_validator(mode="after")
    def _reason_for_refusal(self) -> DecisionInput:
        if self.decision == "refuse" and not (self.reason or "").strip():
            raise ValueError("a refusal needs a reason")
        return self


class Profile(BaseModel):
    model_config = ConfigDict(defer_build=True)

    needs: list[str] = Field(default_factory=list)
    offers: list[str] = Field(default_factory=list)
    description: dict[str, str] = Field(default_factory=dict)
    last_verified_at: datetime | None = None


PARTICIPANT_BUILTINS = ("first_name", "last_name", "email", "phone", "job_title")


def completeness(
    form: list[FormField],
    company: Mapping[str, Any],
    participants: Sequence[Mapping[str, Any]],
    profiles: Mapping[str, Profile | None],
) -> int:
    """Percentage of visible fields answered: built-ins, form fields of both levels, and profiles."""
    company_answers: Mapping[str, Any] = company.get("answers") or {}
    total = answered = 0
    for key in BUILTIN_COMPANY:
        total += 1
        answered += 1 if company.get(key) else 0
    company_fields = [f for f in form if f.level == "company"]
    for field in visible_fields(company_fields, company_answers, {}):
        total += 1
        answered += 1 if is_answered(field, company_answers.get(field.key)) else 0
    participant_fields = [f for f in form if f.level == "participant"]
    for participant in participants:
        answers: Mapping[str, Any] = participant.get("answers") or {}
        for key in PARTICIPANT_BUILTINS:
            total += 1
            answered += 1 if participant.get(key) else 0
        for field in visible_fields(participant_fields, answers, company_answers):
            total += 1
            answered += 1 if is_answered(field, answers.get(field.key)) else 0
        profile = profiles.get(str(participant.get("participant_id")))
        total += 3
        if profile is not None:
            answered += sum(1 for part in (profile.needs, profile.offers, profile.description) if part)
    return (answered * 100) // total if total else 100


def search_text(registration: Mapping[str, Any], participants: Sequence[Mapping[str, Any]]) -> str:
    """The organiser's search text of a sheet: company, names and e-mails, folded."""
    parts = [registration.get("company_name", "")]
    for p in participants:
        parts += [p.get("first_name", ""), p.get("last_name", ""), p.get("email", "")]
    return fold(" ".join(str(x) for x in parts if x))


def derived_fields(
    form: list[FormField],
    registration: Mapping[str, Any],
    participants: Sequence[Mapping[str, Any]],
    profiles: Mapping[str, Mapping[str, Any]],
) -> dict[str, Any]:
    """What a sheet derives from its data (profiles as stored): completeness and the search text."""
    company = {
        "name": registration.get("company_name"),
        "country": registration.get("country"),
        "website": registration.get("website"),
        "answers": registration.get("answers", {}),
    }
    return {
        "completeness": completeness(
            form, company, participants, {pid: Profile.model_validate(p) for pid, p in profiles.items()}
        ),
        "search_text": search_text(registration, participants),
    }
