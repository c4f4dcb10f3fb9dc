"""Meeting requests over HTTP: send, answer, cancel, list (mine; the event's, or its CSV/XLSX export),
staff acting on a participant's behalf, and the organiser's caps and pair boosts. Thin: routes ->
services; the router checks roles, ids, query strings and bodies first.

Acting on a participant's behalf is the same route as acting for oneself: a participant's token sends
or answers for their company; an organiser's or staff member's token must name the company
(``on_behalf_of_registration_id`` when sending) and may name the person (``on_behalf_of_participant_id``);
those calls are audited in the change's own transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from salon.kernel import invocation, logs
from salon.kernel.caller import Caller
from salon.kernel.errors import FieldError, Forbidden, ValidationFailed
from salon.kernel.http import JSON, Download, Router
from salon.kernel.principal import REVIEW
from salon.kernel.routes import MATCHMAKING
from salon.matchmaking import http_models as m
from salon.matchmaking.domain.request_commands import (
    AnswerMeetingRequest,
    AnswerOnBehalf,
    BoostOutcome,
    BoostPair,
    CancelMeetingRequest,
    LimitsOutcome,
    PutRequestLimits,
    RequestOutcome,
    RequestPage,
    SendMeetingRequest,
    SendOnBehalf,
)
from salon.matchmaking.services import request_config, request_exports, request_lists, requests

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logs.configure()
router = Router(MATCHMAKING)


def _on_behalf(caller: Caller) -> bool:
    """Whether an organiser or staff member calls (the route table let only them and participants in)."""
    return caller.principal is not None and caller.principal.has_any(REVIEW)


@router.route(
    "POST /events/{event_id}/meeting-requests",
    response=RequestOutcome,
    status=201,
    body=m.SendBody,
    example=m.SEND,
)
def send(caller: Caller, event_id: str, body: m.SendBody) -> RequestOutcome:
    if not _on_behalf(caller):
        if body.on_behalf_of_registration_id or body.on_behalf_of_participant_id:
            raise Forbidden("only organisers and staff act on a company's behalf")
        return requests.send(caller, SendMeetingRequest(event_id=event_id, request=body.request()))
    if body.on_behalf_of_registration_id is None:
        raise ValidationFailed(
            "organisers and staff send for a company",
            errors=[FieldError("on_behalf_of_registration_id", "required for organisers and staff")],
        )
    command = SendOnBehalf(
        event_id=event_id,
        from_registration_id=body.on_behalf_of_registration_id,
        participant_id=body.on_behalf_of_participant_id,
        request=body.request(),
    )
    return requests.send_on_behalf(caller, command)


@router.route("GET /me/meeting-requests", response=RequestPage, query=m.MineQuery)
def list_mine(caller: Caller, query: m.MineQuery) -> RequestPage:
    return request_lists.list_mine(caller, query.event_id, query.direction, query.state, query.page())


@router.route(
    "POST /meeting-requests/{request_id}/answer", response=RequestOutcome, body=m.AnswerBody, example=m.ANSWER
)
def answer(caller: Caller, request_id: str, body: m.AnswerBody) -> RequestOutcome:
    if not _on_behalf(caller):
        if body.on_behalf_of_participant_id:
            raise Forbidden("only organisers and staff act on a company's behalf")
        return requests.answer(caller, AnswerMeetingRequest(request_id=request_id, answer=body.answer()))
    command = AnswerOnBehalf(
        request_id=request_id, participant_id=body.on_behalf_of_participant_id, answer=body.answer()
    )
    return requests.answer_on_behalf(caller, command)


@router.route("POST /meeting-requests/{request_id}/cancel", response=RequestOutcome)
def cancel(caller: Caller, request_id: str) -> RequestOutcome:
    return requests.cancel(caller, CancelMeetingRequest(request_id=request_id))


@router.route(
    "GET /events/{event_id}/meeting-requests",
    response=RequestPage,
    query=m.StaffQuery,
    produces=(m.CSV, m.XLSX),
)
def list_event(caller: Caller, event_id: str, query: m.StaffQuery, media_type: str) -> RequestPage | Download:
    if media_type == JSON:
        return request_lists.list_event(caller, event_id, query.filters(), query.page())
    format_: request_exports.Format = "csv" if media_type == m.CSV else "xlsx"
    content = request_exports.export_requests(
        caller, event_id, query.filters(), format_=format_, separator=query.separator, locale=query.locale
    )
    return Download(content, media_type, f"meeting-requests-{event_id}.{format_}")


@router.route("GET /events/{event_id}/matchmaking", response=m.LimitsOut)
def get_limits(caller: Caller, event_id: str) -> m.LimitsOut:
    rules, version = request_config.get_limits(caller, event_id)
    return m.LimitsOut(event_id=event_id, limits=rules.limits, version=version)


@router.route(
    "PUT /events/{event_id}/matchmaking", response=LimitsOutcome, body=m.LimitsBody, example=m.LIMITS
)
def put_limits(caller: Caller, event_id: str, body: m.LimitsBody) -> LimitsOutcome:
    command = PutRequestLimits(event_id=event_id, rules=body.rules(), version=body.version)
    return request_config.put_limits(caller, command)


@router.route(
    "PUT /events/{event_id}/pairs/{registration_id}/{other_registration_id}/boost",
    response=BoostOutcome,
    body=m.BoostBody,
    example=m.BOOST,
)
def boost(
    caller: Caller, event_id: str, registration_id: str, other_registration_id: str, body: m.BoostBody
) -> BoostOutcome:
    if registration_id == other_registration_id:
        raise ValidationFailed(
            "a pair joins two different companies",
            errors=[FieldError("other_registration_id", "must differ from registration_id")],
        )
    command = BoostPair(
        event_id=event_id, registration_ids=[registration_id, other_registration_id], boost=body.boost
    )
    return request_config.boost_pair(caller, command)


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    invocation.begin(context)
    return router.handle(event)
