"""Every class of malformed input over HTTP answers a 4xx problem+json, never a 500.

Media types, JSON that is invalid or not an object, huge and deeply nested bodies, invalid UTF-8,
unknown or mistyped query parameters, odd path ids, missing or foreign tokens.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
import requests
from test_register_support import Tenant, is_problem, ok, registration_body, tenant

pytestmark = pytest.mark.e2e

JSON = {"Content-Type": "application/json"}


@pytest.fixture
def world(user_factory: Any) -> Tenant:
    return tenant(user_factory, "hostile")


def problem_of(response: requests.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert is_problem(response), response.headers
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["type"] and body["title"]
    return body


def send(world: Tenant, api: Any, route: str, **kwargs: Any) -> requests.Response:
    """`route` is "METHOD path" with {event_id}; organizer routes go with the organizer's token."""
    method, path = route.split(" ", 1)
    client = api if path.endswith("/registrations") else world.organizer.api
    return client.request(method, path.format(event_id=world.event_id), **kwargs)


BODY_ROUTES = [
    "POST /events/{event_id}/registrations",
    "PATCH /events/{event_id}",
    "PUT /events/{event_id}/form",
]
NOT_JSON = [
    "text/plain",
    "application/xml",
    "application/x-www-form-urlencoded",
    "application/merge-patch+json",
    "application/json; charset=iso-8859-1",
]


@pytest.mark.parametrize("route", BODY_ROUTES)
@pytest.mark.parametrize("content_type", NOT_JSON)
def test_a_body_that_is_not_json_is_415(world: Tenant, api: Any, route: str, content_type: str) -> None:
    response = send(
        world, api, route, data=json.dumps(registration_body()), headers={"Content-Type": content_type}
    )
    body = problem_of(response, 415)
    assert body["type"].endswith("/unsupported-media-type")
    assert body["errors"][0]["field"] == "Content-Type"
    assert body["instance"] == route.split(" ", 1)[1].format(event_id=world.event_id)
    hint = {"POST": "Accept-Post", "PATCH": "Accept-Patch"}.get(route.split(" ", 1)[0])
    if hint:
        assert response.headers[hint] == "application/json"


def test_a_body_without_content_type_and_a_multipart_body_are_415(world: Tenant, api: Any) -> None:
    path = f"/events/{world.event_id}/registrations"
    problem_of(api.post(path, data=b'{"type": "buyer"}'), 415)
    problem_of(api.post(path, files={"type": ("type.txt", b"buyer")}), 415)


def test_json_with_a_utf8_charset_is_accepted(world: Tenant, api: Any) -> None:
    response = api.post(
        f"/events/{world.event_id}/registrations",
        data=json.dumps(registration_body()).encode(),
        headers={"Content-Type": "application/json; charset=UTF-8"},
    )
    ok(response, 201)


@pytest.mark.parametrize("content_type", [None, "text/plain"])
def test_a_missing_body_stays_422(world: Tenant, api: Any, content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    body = problem_of(api.post(f"/events/{world.event_id}/registrations", headers=headers), 422)
    assert body["type"].endswith("/validation")


@pytest.mark.parametrize(
    "raw",
    ["{not json", '{"type": "buyer",}', "[" * 100_000, '{"a":' * 50_000, '{"type": ' + "9" * 5_000 + "}"],
    ids=["syntax", "trailing-comma", "deep-array", "deep-object", "huge-integer"],
)
@pytest.mark.parametrize("route", BODY_ROUTES)
def test_json_that_cannot_be_parsed_is_400(world: Tenant, api: Any, route: str, raw: str) -> None:
    body = problem_of(send(world, api, route, data=raw, headers=JSON), 400)
    assert body["type"].endswith("/malformed-body")


@pytest.mark.parametrize("raw", ["[]", '"text"', "42", "null", "true", "[{}]"])
@pytest.mark.parametrize("route", BODY_ROUTES)
def test_json_that_is_not_an_object_is_422(world: Tenant, api: Any, route: str, raw: str) -> None:
    body = problem_of(send(world, api, route, data=raw, headers=JSON), 422)
    assert body["errors"] == [{"field": "body", "message": "must be a JSON object"}]


def test_an_array_around_a_valid_body_changes_nothing(world: Tenant) -> None:
    """Regression: Powertools took the first item of an array as the body; `[form]` replaced the form."""
    org = world.organizer.api
    before = ok(org.get(f"/events/{world.event_id}/form"))
    response = org.put(f"/events/{world.event_id}/form", data=json.dumps([{"fields": []}]), headers=JSON)
    problem_of(response, 422)
    assert ok(org.get(f"/events/{world.event_id}/form")) == before


def test_deep_but_parseable_answers_are_422(world: Tenant, api: Any) -> None:
    registration = registration_body()
    registration["participants"][0]["answers"]["diet"] = json.loads("[" * 300 + "]" * 300)
    response = api.post(f"/events/{world.event_id}/registrations", json=registration)
    fields = {error["field"] for error in problem_of(response, 422)["errors"]}
    assert any(field.startswith("participants[0]") for field in fields), fields


def test_a_huge_body_is_a_4xx(world: Tenant, api: Any) -> None:
    registration = registration_body()
    registration["company"]["name"] = "x" * 3_000_000
    response = api.post(f"/events/{world.event_id}/registrations", json=registration)
    assert "company.name" in {error["field"] for error in problem_of(response, 422)["errors"]}


def test_invalid_utf8_is_a_4xx(world: Tenant, api: Any) -> None:
    """The gateway hands text bodies over as UTF-8 with U+FFFD for invalid bytes; binary ones base64."""
    path = f"/events/{world.event_id}/registrations"
    raw = json.dumps(registration_body()).encode().replace(b'"FR"', b'"F\xffR"')
    fields = {error["field"] for error in problem_of(api.post(path, data=raw, headers=JSON), 422)["errors"]}
    assert "company.country" in fields
    binary = {"Content-Type": "application/octet-stream"}
    problem_of(api.post(path, data=b"\xff\xfe\x00{", headers=binary), 415)


@pytest.mark.parametrize(
    ("path", "role", "params", "field"),
    [
        ("/events", "organizer", {"limit": "2", "utm_source": "mail"}, "query.utm_source"),
        ("/events/{event_id}/registrations", "staff", {"state": "validated", "sort": "name"}, "query.sort"),
        ("/audit", "dpo", {"from_": "2026-01-01T00:00:00Z"}, "query.from_"),
        ("/events/{event_id}/form", None, {"lang": "fr"}, "query.lang"),
    ],
)
def test_unknown_query_parameters_are_422(
    world: Tenant, api: Any, path: str, role: str | None, params: dict[str, str], field: str
) -> None:
    client = getattr(world, role).api if role else api
    response = client.get(path.format(event_id=world.event_id), params=params)
    assert field in {error["field"] for error in problem_of(response, 422)["errors"]}


@pytest.mark.parametrize(
    ("path", "role", "params"),
    [
        ("/events", "organizer", {"limit": "abc"}),
        ("/events", "organizer", {"limit": "0"}),
        ("/events", "organizer", {"limit": "1e3"}),
        ("/events/{event_id}/registrations", "staff", {"state": "bogus"}),
        ("/events/{event_id}/registrations", "staff", {"q": "x" * 500}),
        ("/audit", "dpo", {"from": "yesterday"}),
        ("/audit", "dpo", {"to": "2026-13-45T99:00:00Z"}),
    ],
)
def test_mistyped_query_parameters_are_422(
    world: Tenant, path: str, role: str, params: dict[str, str]
) -> None:
    response = getattr(world, role).api.get(path.format(event_id=world.event_id), params=params)
    assert problem_of(response, 422)["errors"][0]["field"].startswith("query.")


def test_declared_aliases_are_not_unknown(world: Tenant) -> None:
    params = {"actor_id": world.organizer.sub, "from": "2020-01-01T00:00:00Z", "limit": "5"}
    page = ok(world.dpo.api.get("/audit", params=params))
    assert "items" in page


@pytest.mark.parametrize(
    "path",
    [
        "/events/%00",
        "/events/a%20b/form",
        "/events/%F0%9F%98%80/taxonomy",
        "/events/" + "x" * 300,
        "/registrations/a%23b",
        "/registrations/'%3B--",
        "/registrations/r%7Bx%7D/participants/%2E%2E/deactivate",
    ],
)
def test_odd_path_ids_are_404(world: Tenant, path: str) -> None:
    method = "POST" if path.endswith("/deactivate") else "GET"
    response = world.organizer.api.request(method, path)
    assert response.status_code == 404 and is_problem(response), response.text


def foreign_pool_token(cloud: Any) -> str:
    """An ID token, validly signed, issued by another user pool than the API's."""
    idp = cloud.client("cognito-idp")
    pool_id = idp.create_user_pool(PoolName=f"foreign-{uuid.uuid4().hex[:6]}")["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="foreign", ExplicitAuthFlows=["ADMIN_NO_SRP_AUTH"]
    )["UserPoolClient"]["ClientId"]
    idp.admin_create_user(UserPoolId=pool_id, Username="someone", MessageAction="SUPPRESS")
    password = "Foreign-Passw0rd-2026"
    idp.admin_set_user_password(UserPoolId=pool_id, Username="someone", Password=password, Permanent=True)
    result = idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_NO_SRP_AUTH",
        AuthParameters={"USERNAME": "someone", "PASSWORD": password},
    )
    return str(result["AuthenticationResult"]["IdToken"])


def test_missing_garbage_and_foreign_tokens_are_401(world: Tenant, api: Any, cloud: Any) -> None:
    path = f"/events/{world.event_id}"
    assert problem_of(api.get(path), 401)
    for authorization in ("garbage", "Bearer", "Bearer a.b.c", "Basic dXNlcjpwYXNz", "Bearer " + "x" * 5000):
        assert problem_of(api.get(path, headers={"Authorization": authorization}), 401), authorization
    stolen = world.organizer.token[:-4] + ("AAAA" if not world.organizer.token.endswith("AAAA") else "BBBB")
    assert problem_of(api.with_token(stolen).get(path), 401)
    assert problem_of(api.with_token(foreign_pool_token(cloud)).get(path), 401)
