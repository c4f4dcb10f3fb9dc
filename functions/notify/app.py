"""Notifications over HTTP: a participant's mobile (code, verification) and the organiser's view of
what a participant was sent. Thin: routes -> services (salon.notify.services)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from salon.kernel import logs
from salon.kernel.caller import Caller
from salon.kernel.http import Router
from salon.kernel.routes import NOTIFY_API
from salon.notify.services import deliveries, phones
from salon.notify.services.deliveries import Deliveries, DeliveriesQuery
from salon.notify.services.phones import CodeInput, PhoneInput, PhoneOut

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logs.configure()
router = Router(NOTIFY_API)


@router.route(
    "POST /me/phone", response=PhoneOut, status=202, body=PhoneInput, example={"number": "+33612345678"}
)
def register_phone(caller: Caller, body: PhoneInput) -> PhoneOut:
    return phones.start(caller, body)


@router.route("POST /me/phone/verify", response=PhoneOut, body=CodeInput, example={"code": "123456"})
def verify_phone(caller: Caller, body: CodeInput) -> PhoneOut:
    return phones.verify(caller, body)


@router.route("GET /events/{event_id}/deliveries", response=Deliveries, query=DeliveriesQuery)
def participant_deliveries(caller: Caller, event_id: str, query: DeliveriesQuery) -> Deliveries:
    return deliveries.of_participant(caller, event_id, query)


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return router.handle(event)
