"""Registration area: events configuration, registrations, /me, audit. Thin: routes -> services."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel
from salon.kernel import idempotency
from salon.kernel.auth import principal_from_event
from salon.kernel.caller import Caller
from salon.kernel.errors import FieldError, SalonError, ValidationFailed
from salon.kernel.http_input import read_json_object, reject_undeclared_query, require_json_body
from salon.kernel.policy import authorize, check_path_ids
from salon.kernel.problems import from_exception, problem
from salon.kernel.values import Page
from salon.privacy.services import audit_trail
from salon.registration.domain.commands import (
    DeactivateParticipant,
    DecideRegistration,
    NewParticipationType,
    SubmitRegistration,
)
from salon.registration.domain.events import EventCreate, EventPatch
from salon.registration.domain.forms import FormInput
from salon.registration.domain.participants import MePatch, ProfileInput
from salon.registration.domain.participation_types import ParticipationType, ParticipationTypeCreate
from salon.registration.domain.registrations import DecisionInput, RegistrationCreate, State
from salon.registration.domain.taxonomy import TaxonomyInput
from salon.registration.responses import (
    AuditPage,
    Deactivated,
    EventOut,
    EventPage,
    FormOut,
    Health,
    MeOut,
    RegistrationCreated,
    RegistrationDetail,
    RegistrationPage,
    RegistrationSummary,
    TaxonomyOut,
    TypePage,
    responses,
)
from salon.registration.services import configuration, decisions, me, review, submission

logger = Logger()
tracer = Tracer()
app = APIGatewayHttpResolver(enable_validation=True, json_body_deserializer=read_json_object)
app.use([reject_undeclared_query])
app.enable_swagger(path="/docs", title="Salon registration API", version="1.0.0")

Json = dict[str, Any]
Limit = Annotated[int, Query(ge=1, le=100)]
Cursor = Annotated[str | None, Query(max_length=2048)]


def _caller() -> Caller:
    event = app.current_event
    request_id = str(event.request_context.request_id or "")
    return Caller(principal_from_event(event.raw_event), request_id, _idempotency_key())


def _idempotency_key() -> str | None:
    headers = {k.lower(): v for k, v in (app.current_event.headers or {}).items()}
    key = headers.get("idempotency-key")
    if key is None:
        return None
    key = key.strip()
    if not 1 <= len(key) <= 128:
        raise ValidationFailed(
            "invalid Idempotency-Key", errors=[FieldError("Idempotency-Key", "1 to 128 characters")]
        )
    return key


def _json(data: BaseModel | Json, status: int = 200) -> Response[str]:
    body = data.model_dump(mode="json") if isinstance(data, BaseModel) else data
    return Response(
        status_code=status, content_type="application/json", body=json.dumps(body, sort_keys=True)
    )


@app.get("/health", responses=responses(200, Health))
def health() -> Json:
    return {"status": "ok"}


@app.get("/openapi.json", include_in_schema=False)
def openapi() -> Response[str]:
    return Response(
        status_code=200,
        content_type="application/json",
        body=app.get_openapi_json_schema(title="Salon registration API", version="1.0.0"),
    )


@app.post("/events", responses=responses(201, EventOut, "Created"))
def create_event(body: Annotated[EventCreate, Body()]) -> Response[str]:
    return _json(configuration.create_event(_caller(), body), 201)


@app.get("/events", responses=responses(200, EventPage))
def list_events(limit: Limit = 25, cursor: Cursor = None) -> Json:
    return configuration.list_events(_caller(), Page(limit=limit, cursor=cursor))


@app.get("/events/<event_id>", responses=responses(200, EventOut))
def get_event(event_id: str) -> Json:
    return configuration.get_event(_caller(), event_id)


@app.patch("/events/<event_id>", responses=responses(200, EventOut))
def patch_event(event_id: str, body: Annotated[EventPatch, Body()]) -> Json:
    return configuration.patch_event(_caller(), event_id, body)


@app.put("/events/<event_id>/form", responses=responses(200, FormOut))
def put_form(event_id: str, body: Annotated[FormInput, Body()]) -> Json:
    return configuration.put_form(_caller(), event_id, body)


@app.get("/events/<event_id>/form", responses=responses(200, FormOut))
def get_form(event_id: str) -> Json:
    return configuration.get_form(_caller(), event_id)


@app.post("/events/<event_id>/types", responses=responses(201, ParticipationType, "Created"))
def create_type(event_id: str, body: Annotated[ParticipationTypeCreate, Body()]) -> Response[str]:
    command = NewParticipationType(event_id=event_id, type=body)
    return _json(configuration.create_type(_caller(), command), 201)


@app.get("/events/<event_id>/types", responses=responses(200, TypePage))
def list_types(event_id: str) -> Json:
    return configuration.list_types(_caller(), event_id)


@app.put("/events/<event_id>/taxonomy", responses=responses(200, TaxonomyOut))
def put_taxonomy(event_id: str, body: Annotated[TaxonomyInput, Body()]) -> Json:
    return configuration.put_taxonomy(_caller(), event_id, body)


@app.get("/events/<event_id>/taxonomy", responses=responses(200, TaxonomyOut))
def get_taxonomy(event_id: str) -> Json:
    return configuration.get_taxonomy(_caller(), event_id)


@app.post("/events/<event_id>/registrations", responses=responses(201, RegistrationCreated, "Created"))
def submit_registration(event_id: str, body: Annotated[RegistrationCreate, Body()]) -> Response[str]:
    command = SubmitRegistration(event_id=event_id, registration=body)
    return _json(submission.submit(_caller(), command), 201)


@app.get("/events/<event_id>/registrations", responses=responses(200, RegistrationPage))
def list_registrations(
    event_id: str,
    state: Annotated[State | None, Query()] = None,
    type: Annotated[str | None, Query(max_length=32)] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    limit: Limit = 25,
    cursor: Cursor = None,
) -> Json:
    return review.list_registrations(
        _caller(), event_id, state=state, type_=type, q=q, page=Page(limit=limit, cursor=cursor)
    )


@app.get("/registrations/<registration_id>", responses=responses(200, RegistrationDetail))
def get_registration(registration_id: str) -> Json:
    return review.get_registration(_caller(), registration_id)


@app.post("/registrations/<registration_id>/decision", responses=responses(200, RegistrationSummary))
def decide(registration_id: str, body: Annotated[DecisionInput, Body()]) -> Response[str]:
    command = DecideRegistration(registration_id=registration_id, decision=body)
    return _json(decisions.decide(_caller(), command))


@app.post(
    "/registrations/<registration_id>/participants/<participant_id>/deactivate",
    responses=responses(200, Deactivated),
)
def deactivate(registration_id: str, participant_id: str) -> Response[str]:
    command = DeactivateParticipant(registration_id=registration_id, participant_id=participant_id)
    return _json(decisions.deactivate(_caller(), command))


@app.get("/me", responses=responses(200, MeOut))
def get_me() -> Json:
    return me.get_me(_caller())


@app.patch("/me", responses=responses(200, MeOut))
def patch_me(body: Annotated[MePatch, Body()]) -> Json:
    return me.patch_me(_caller(), body)


@app.put("/me/profile", responses=responses(200, MeOut))
def put_profile(body: Annotated[ProfileInput, Body()]) -> Json:
    return me.put_profile(_caller(), body)


@app.get("/audit", responses=responses(200, AuditPage))
def read_audit(
    subject_id: Annotated[str | None, Query(max_length=64)] = None,
    actor_id: Annotated[str | None, Query(max_length=64)] = None,
    from_: Annotated[datetime | None, Query(alias="from")] = None,
    to: Annotated[datetime | None, Query()] = None,
    limit: Limit = 25,
    cursor: Cursor = None,
) -> Json:
    return audit_trail.query(
        _caller(),
        subject_id=subject_id,
        actor_id=actor_id,
        start=from_,
        end=to,
        page=Page(limit=limit, cursor=cursor),
    )


@app.exception_handler(Exception)  # type: ignore[untyped-decorator]
def handle_error(exc: Exception) -> Response[str]:
    event = app.current_event
    return from_exception(
        exc, instance=event.raw_path or "", request_id=str(event.request_context.request_id or "")
    )


@app.not_found
def not_found(_: Exception) -> Response[str]:
    event = app.current_event
    return problem(
        404,
        "not-found",
        "Not found",
        "no such route",
        instance=event.raw_path or "",
        request_id=str(event.request_context.request_id or ""),
    )


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP, log_event=False)
@tracer.capture_lambda_handler(capture_response=False)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    idempotency.register_context(context)
    try:
        authorize(str(event.get("routeKey", "")), principal_from_event(event))
        check_path_ids(event.get("pathParameters"))
        event = require_json_body(event)
    except SalonError as exc:
        context_data = event.get("requestContext") or {}
        refused = from_exception(
            exc, instance=str(event.get("rawPath", "")), request_id=str(context_data.get("requestId", ""))
        )
        headers = {name: str(value) for name, value in refused.headers.items()}
        return {"statusCode": refused.status_code, "headers": headers, "body": refused.body}
    return app.resolve(event, context)
