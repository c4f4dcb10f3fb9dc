"""The public registration flow over HTTP: an event's form and taxonomy, submitting a registration, and
a participant's own record (/me). Thin: routes -> services.

Organisers' configuration and staff review are functions of their own (functions/configuration,
functions/review), so a cold start here loads only the models and services of these routes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from salon.kernel import idempotency, logs
from salon.kernel.caller import Caller
from salon.kernel.http import Router
from salon.kernel.routes import REGISTER
from salon.registration import examples
from salon.registration.domain.commands import SubmitRegistration
from salon.registration.domain.participants import MePatch, ProfileInput
from salon.registration.domain.registrations import RegistrationCreate
from salon.registration.responses import FormOut, Health, MeOut, RegistrationCreated, TaxonomyOut
from salon.registration.services import configuration, me, submission
from salon.requalification.services import confirm
from salon.requalification.services.confirm import Requalified

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logs.configure()
router = Router(REGISTER)


@router.route("GET /health", response=Health)
def health(caller: Caller) -> Health:
    return Health(status="ok")


@router.route("GET /events/{event_id}/form", response=FormOut)
def get_form(caller: Caller, event_id: str) -> FormOut:
    return configuration.get_form(caller, event_id)


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


@router.route("GET /me", response=MeOut)
def get_me(caller: Caller) -> MeOut:
    return me.get_me(caller)


@router.route("PATCH /me", response=MeOut, body=MePatch, example=examples.ME_PATCH)
def patch_me(caller: Caller, body: MePatch) -> MeOut:
    return me.patch_me(caller, body)


@router.route("PUT /me/profile", response=MeOut, body=ProfileInput, example=examples.PROFILE)
def put_profile(caller: Caller, body: ProfileInput) -> MeOut:
    return me.put_profile(caller, body)


@router.route("POST /me/requalify", response=Requalified)
def requalify_me(caller: Caller) -> Requalified:
    return confirm.confirm_me(caller)


@router.route("POST /requalify/{token}", response=Requalified)
def requalify_by_link(caller: Caller, token: str) -> Requalified:
    return confirm.confirm_link(caller, token)


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    idempotency.register_context(context)
    return router.handle(event)
