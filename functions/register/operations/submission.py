"""Submitting a registration to an event."""

from __future__ import annotations

from salon.kernel.caller import Caller
from salon.kernel.http import Router
from salon.kernel.routes import REGISTER
from salon.registration import examples
from salon.registration.domain.commands import SubmitRegistration
from salon.registration.domain.registrations import RegistrationCreate
from salon.registration.responses import RegistrationCreated
from salon.registration.services import submission

router = Router(REGISTER)


@router.route(
    "POST /events/{event_id}/registrations",
    response=RegistrationCreated,
    status=201,
    body=RegistrationCreate,
    example=examples.REGISTRATION,
)
def submit_registration(caller: Caller, event_id: str, body: RegistrationCreate) -> RegistrationCreated:
    return submission.submit(caller, SubmitRegistration(event_id=event_id, registration=body))
