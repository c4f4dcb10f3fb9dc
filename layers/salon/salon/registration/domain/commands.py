"""The inputs of the registration area's use cases that change state: what a client asks, fully typed.

The body a client posts is one field; the ids from the path are the others, so one model carries the
whole request into the use case (and into its idempotency record)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from salon.registration.domain.participation_types import ParticipationTypeCreate
from salon.registration.domain.registrations import DecisionInput, RegistrationCreate


class Command(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class NewParticipationType(Command):
    event_id: str
    type: ParticipationTypeCreate


class SubmitRegistration(Command):
    event_id: str
    registration: RegistrationCreate


class DecideRegistration(Command):
    registration_id: str
    decision: DecisionInput


class DeactivateParticipant(Command):
    registration_id: str
    participant_id: str
