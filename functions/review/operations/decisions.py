"""Staff decide on a registration and deactivate a participant."""

from __future__ import annotations

from salon.kernel.caller import Caller
from salon.kernel.http import Router
from salon.kernel.routes import REGISTRATION_REVIEW
from salon.registration import examples
from salon.registration.domain.commands import DeactivateParticipant, DecideRegistration
from salon.registration.domain.registrations import DecisionInput
from salon.registration.responses import Deactivated, RegistrationSummary
from salon.registration.services import decisions

router = Router(REGISTRATION_REVIEW)


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
