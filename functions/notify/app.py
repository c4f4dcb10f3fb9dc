"""Notifications over HTTP: a participant's mobile (code, verification) and the organiser's view of
what a participant was sent. Thin: routes -> services (salon.notify.services)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from salon.kernel import logs
from salon.kernel.caller import Caller
from salon.kernel.http import Router
from salon.kernel.routes import NOTIFY_API
from salon.notify.domain.mailings import MailingInput
from salon.notify.services import deliveries, mailings, phones
from salon.notify.services.deliveries import Deliveries, DeliveriesQuery
from salon.notify.services.mailings import (
    MailingCreated,
    Preview,
    PreviewInput,
    Progress,
    TestSent,
    Unsubscribed,
)
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


MAILING_EXAMPLE = {
    "subject": {
        "fr": "{{ event_name }} : informations pratiques",
        "en": "{{ event_name }}: practical details",
    },
    "body": {
        "fr": "Bonjour {{ first_name }},\n\nVotre agenda : {{ agenda_link }}",
        "en": "Hello {{ first_name }},\n\nYour agenda: {{ agenda_link }}",
    },
    "audience": {"types": ["buyer"], "states": ["validated"]},
}


@router.route(
    "POST /events/{event_id}/mailings",
    response=MailingCreated,
    status=201,
    body=MailingInput,
    example=MAILING_EXAMPLE,
)
def create_mailing(caller: Caller, event_id: str, body: MailingInput) -> MailingCreated:
    return mailings.create(caller, event_id, body)


@router.route("POST /mailings/{mailing_id}/preview", response=Preview, body=PreviewInput, example={})
def preview_mailing(caller: Caller, mailing_id: str, body: PreviewInput) -> Preview:
    return mailings.preview(caller, mailing_id, body)


@router.route("POST /mailings/{mailing_id}/test", response=TestSent, body=PreviewInput, example={})
def test_mailing(caller: Caller, mailing_id: str, body: PreviewInput) -> TestSent:
    return mailings.test_send(caller, mailing_id, body)


@router.route("POST /mailings/{mailing_id}/send", response=Progress, status=202)
def send_mailing(caller: Caller, mailing_id: str) -> Progress:
    return mailings.send(caller, mailing_id)


@router.route("GET /mailings/{mailing_id}", response=Progress)
def mailing_progress(caller: Caller, mailing_id: str) -> Progress:
    return mailings.progress(caller, mailing_id)


@router.route("POST /unsubscribe/{token}", response=Unsubscribed)
def one_click_unsubscribe(caller: Caller, token: str) -> Unsubscribed:
    return mailings.unsubscribe_with(token)


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return router.handle(event)
