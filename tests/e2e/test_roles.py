"""The route table (salon.kernel.routes, hence docs/API.md's route x role table), over HTTP, for every
route and every role."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import pytest
from localcloud.invoice_samples import SELLER
from salon.kernel.routes import BY_KEY
from salon.scheduling import examples as scheduling_examples
from test_register_support import (
    FORM,
    TAXONOMY,
    L,
    Tenant,
    event_body,
    is_problem,
    ok,
    registration_body,
    tenant,
)

pytestmark = pytest.mark.e2e

ROLES = ("anonymous", "participant", "organizer", "staff", "dpo")


def body_for(route: str) -> dict[str, Any] | None:
    bodies: dict[str, Any] = {
        "POST /events": event_body(status="draft"),
        "PATCH /events/{event_id}": {"vat_mode": "excl"},
        "PUT /events/{event_id}/form": FORM,
        "POST /events/{event_id}/types": {"code": f"t{uuid.uuid4().hex[:8]}", "labels": L},
        "PUT /events/{event_id}/taxonomy": TAXONOMY,
        "POST /events/{event_id}/registrations": registration_body(),
        "POST /registrations/{registration_id}/decision": {"decision": "validate"},
        "PATCH /me": {},
        "PUT /me/profile": {"needs": []},
        "POST /events/{event_id}/meeting-requests": {"to_registration_id": "reg_unknown"},
        "POST /meeting-requests/{request_id}/answer": {"decision": "approve"},
        "PUT /events/{event_id}/matchmaking": {"limits": {}, "version": 0},
        "PUT /events/{event_id}/pairs/{registration_id}/{other_registration_id}/boost": {"boost": 1},
        "PUT /events/{event_id}/grid": scheduling_examples.GRID,
        "PUT /me/unavailability": {"periods": []},
        "POST /events/{event_id}/schedule-runs": scheduling_examples.RUN,
        "PATCH /meetings/{meeting_id}": scheduling_examples.MOVE,
        "POST /events/{event_id}/meetings": scheduling_examples.CREATE_MEETING,
        "PUT /tenant/seller": SELLER.model_dump(mode="json"),
        "POST /me/phone": {"number": "+33612345678"},
        "POST /me/phone/verify": {"code": "123456"},
        "POST /events/{event_id}/mailings": {
            "subject": {"fr": "Infos", "en": "News"},
            "body": {"fr": "Bonjour {{ first_name }}", "en": "Hello {{ first_name }}"},
        },
    }
    return bodies.get(route)


class Ids:
    def __init__(self, world: Tenant, api: Any) -> None:
        created, other = (
            ok(api.post(f"/events/{world.event_id}/registrations", json=registration_body()), 201)
            for _ in range(2)
        )
        self.values = {
            "event_id": world.event_id,
            "registration_id": created["registration_id"],
            "other_registration_id": other["registration_id"],
            "participant_id": created["participants"][0]["participant_id"],
            "request_id": "mr_unknown",  # allowed roles get past the role check to a 404
            "run_id": f"run_{uuid.uuid4().hex}",  # no such run: the role gate answers before the 404
            "meeting_id": f"mtg_{uuid.uuid4().hex}",  # likewise
            "token": uuid.uuid4().hex,  # no such calendar feed: the public route answers 404
            "invoice_id": "inv_unknown",
            "mailing_id": f"ml_{uuid.uuid4().hex}",  # no such mailing: the role gate answers before the 404
            "order_id": f"ord_{uuid.uuid4().hex}",  # likewise
            "dsar_id": f"dsar_{uuid.uuid4().hex}",  # likewise
            "export_id": f"tex_{uuid.uuid4().hex}",  # no such tenant export: likewise
            "closure_id": f"tcl_{uuid.uuid4().hex}",  # no such tenant closure: likewise
        }


_IDS: dict[str, Ids] = {}
_USERS: dict[str, Any] = {}


@pytest.fixture
def world(user_factory: Any, api: Any) -> tuple[Tenant, Ids]:
    world = tenant(user_factory, "roles")
    if "ids" not in _IDS:
        _IDS["ids"] = Ids(world, api)
    return world, _IDS["ids"]


def client_for(role: str, world: Tenant, api: Any, user_factory: Any) -> Any:
    if role == "anonymous":
        return api
    if role == "organizer":
        return world.organizer.api
    if role == "staff":
        return world.staff.api
    if role == "dpo":
        return world.dpo.api
    if role not in _USERS:
        _USERS[role] = user_factory(role, world.tenant_id)
    return _USERS[role].api


def expected(route: str, role: str) -> str:
    declared = BY_KEY[route]
    if declared.public:
        return "allowed"
    if role == "anonymous":
        return "401"
    return "allowed" if role in declared.roles else "403"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", sorted(BY_KEY))
def test_route_role(route: str, role: str, world: tuple[Tenant, Ids], api: Any, user_factory: Any) -> None:
    tenant_world, ids = world
    method, template = route.split(" ", 1)
    path = re.sub(r"\{(\w+)\}", lambda m: ids.values[m.group(1)], template)
    params = {"subject_id": ids.values["registration_id"]} if route == "GET /audit" else None
    body = body_for(route)
    if route == "POST /events/{event_id}/registrations" and body is not None:
        body = registration_body()
    client = client_for(role, tenant_world, api, user_factory)
    response = client.request(method, path, json=body, params=params)
    outcome = expected(route, role)
    if outcome == "401":
        assert response.status_code == 401, response.text
    elif outcome == "403":
        assert response.status_code == 403, response.text
        assert is_problem(response)
    else:
        assert response.status_code not in (401, 403), response.text
        assert response.status_code < 500, response.text


def test_handler_answers_401_without_claims(cloud: Any) -> None:
    """Defence in depth: even if the gateway let it through, the handler refuses."""
    client = cloud.client("lambda")
    event = {
        "version": "2.0",
        "routeKey": "GET /events",
        "rawPath": "/events",
        "rawQueryString": "",
        "headers": {},
        "requestContext": {
            "http": {"method": "GET", "path": "/events"},
            "requestId": "r1",
            "routeKey": "GET /events",
        },
        "isBase64Encoded": False,
    }
    name = cloud.resources.function_name("RegisterFunction")
    result = json.loads(
        client.invoke(FunctionName=name, Payload=json.dumps(event).encode())["Payload"].read()
    )
    assert result["statusCode"] == 401
    assert result["headers"]["Content-Type"] == "application/problem+json"
    no_tenant = {
        **event,
        "requestContext": {
            **event["requestContext"],
            "authorizer": {"jwt": {"claims": {"sub": "x", "cognito:groups": "[organizer]"}}},
        },
    }
    result = json.loads(
        client.invoke(FunctionName=name, Payload=json.dumps(no_tenant).encode())["Payload"].read()
    )
    assert result["statusCode"] == 403
