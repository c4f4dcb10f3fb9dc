"""The local HTTP gateway: routes from the template, the JWT authorizer, payload 2.0 both ways.

The registration area's functions are pointed at the echo test double for the duration of each test
(and back), so these tests do not depend on the real handlers.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
import requests
from localcloud import LocalCloud
from localcloud.routes import RouteTable, routes_from_template
from localcloud.template import load_template
from moto.utilities.utils import load_resource

pytestmark = [pytest.mark.integration, pytest.mark.e2e]

ECHO_DIR = "tests/integration/localcloud/handlers/echo"
ECHOED = ("RegisterFunction", "ConfigurationFunction", "ReviewFunction")
PUBLIC_ROUTES = {
    "GET /events/{event_id}/form",
    "GET /events/{event_id}/taxonomy",
    "POST /events/{event_id}/registrations",
    "GET /health",
    "GET /openapi.json",
    "GET /docs",
    "GET /calendar/{token}/agenda.ics",
    "POST /payments/stripe/webhook",
    "POST /unsubscribe/{token}",
    "POST /requalify/{token}",
    "POST /consents/{token}",
}


@pytest.fixture
def echo_gateway(cloud: LocalCloud) -> Iterator[str]:
    names = [cloud.resources.function_name(logical_id) for logical_id in ECHOED]
    lambda_client = cloud.client("lambda")
    originals = [lambda_client.get_function(FunctionName=name)["Configuration"] for name in names]
    code_keys = [_code_key(cloud, name) for name in names]
    for name in names:
        cloud.deploy_code(name, ECHO_DIR)
    yield cloud.gateway_url
    for name, code_key in zip(names, code_keys, strict=True):
        cloud.deploy_code(name, code_key)
    assert all(original["Handler"] == "app.handler" for original in originals)


def _code_key(cloud: LocalCloud, function_name: str) -> str:
    from moto.awslambda.utils import get_backend

    function = get_backend("123456789012", cloud.resources.region).get_function(function_name)
    return str(function.code["S3Key"])


def _echoed(response: requests.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    return dict(response.json()["event"])


def _forged_token(cloud: LocalCloud, **overrides: Any) -> str:
    """A token signed with moto Cognito's own private key, with claims we choose."""
    private_key = jwt.PyJWK.from_dict(load_resource("cognitoidp/resources/jwks-private.json")).key
    now = int(time.time())
    claims = {
        "iss": f"https://cognito-idp.{cloud.resources.region}.amazonaws.com/{cloud.resources.user_pool_id}",
        "aud": cloud.resources.user_pool_client_id,
        "sub": "forged",
        "token_use": "id",
        "iat": now,
        "exp": now + 600,
        **overrides,
    }
    return jwt.encode(claims, private_key, algorithm="RS256", headers={"kid": "dummy"})


def test_forged_token_with_right_claims_is_accepted(cloud: LocalCloud, echo_gateway: str) -> None:
    # Guards the negative tests below: they fail for the overridden claim, not for the forging.
    token = _forged_token(cloud)

    response = requests.get(f"{echo_gateway}/me", headers={"Authorization": f"Bearer {token}"}, timeout=10)

    assert _echoed(response)["requestContext"]["authorizer"]["jwt"]["claims"]["sub"] == "forged"


def test_public_route_needs_no_token(echo_gateway: str) -> None:
    event = _echoed(requests.get(f"{echo_gateway}/health", timeout=10))

    assert event["routeKey"] == "GET /health"
    assert "authorizer" not in event["requestContext"]


def test_protected_route_without_token_is_401_problem(echo_gateway: str) -> None:
    response = requests.get(f"{echo_gateway}/me", timeout=10)

    assert response.status_code == 401
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Unauthorized"
    assert response.json()["message"] == "Unauthorized"


@pytest.mark.parametrize(
    "overrides",
    [
        {"exp": int(time.time()) - 5},
        {"aud": "another-client"},
        {"iss": "https://cognito-idp.eu-west-3.amazonaws.com/eu-west-3_other"},
    ],
    ids=["expired", "wrong-audience", "wrong-issuer"],
)
def test_invalid_tokens_are_rejected(cloud: LocalCloud, echo_gateway: str, overrides: dict[str, Any]) -> None:
    token = _forged_token(cloud, **overrides)

    response = requests.get(f"{echo_gateway}/me", headers={"Authorization": f"Bearer {token}"}, timeout=10)

    assert response.status_code == 401


def test_tampered_signature_is_rejected(cloud: LocalCloud, echo_gateway: str) -> None:
    header, payload, signature = _forged_token(cloud).split(".")
    tampered = f"{header}.{payload}.{signature[:-4]}AAAA"

    response = requests.get(f"{echo_gateway}/me", headers={"Authorization": f"Bearer {tampered}"}, timeout=10)

    assert response.status_code == 401


def test_valid_id_token_reaches_the_function_with_claims(echo_gateway: str, user_factory: Any) -> None:
    user = user_factory("organizer", "tenant-a")

    response = user.api.post("/events/ev-1/types", params={"lang": "fr"}, json={"code": "buyer"})

    event = _echoed(response)
    claims = event["requestContext"]["authorizer"]["jwt"]["claims"]
    assert claims["sub"] == user.sub
    assert claims["custom:tenant_id"] == "tenant-a"
    assert claims["cognito:groups"] == "[organizer]"
    assert claims["token_use"] == "id"
    assert event["routeKey"] == "POST /events/{event_id}/types"
    assert event["pathParameters"] == {"event_id": "ev-1"}
    assert event["queryStringParameters"] == {"lang": "fr"}
    assert json.loads(event["body"]) == {"code": "buyer"}
    assert event["isBase64Encoded"] is False
    assert event["headers"]["content-type"] == "application/json"


def test_token_with_a_bearer_less_header_is_accepted(echo_gateway: str, user_factory: Any) -> None:
    user = user_factory("staff", "tenant-b")

    response = requests.get(f"{echo_gateway}/me", headers={"Authorization": user.token}, timeout=10)

    assert _echoed(response)["requestContext"]["authorizer"]["jwt"]["claims"]["cognito:groups"] == "[staff]"


def test_unknown_route_is_404_and_wrong_method_405(echo_gateway: str) -> None:
    missing = requests.get(f"{echo_gateway}/nowhere", timeout=10)
    wrong_method = requests.delete(f"{echo_gateway}/events/ev-1", timeout=10)

    assert missing.status_code == 404
    assert missing.headers["Content-Type"] == "application/problem+json"
    assert wrong_method.status_code == 405
    assert wrong_method.headers["Allow"] == "GET, PATCH"


def test_every_template_route_is_served_with_its_auth(cloud: LocalCloud, echo_gateway: str) -> None:
    values = {"UserPool": cloud.resources.user_pool_id, "UserPoolClient": cloud.resources.user_pool_client_id}
    for route in routes_from_template(load_template(), {**values, "AWS::Region": cloud.resources.region}):
        public = route.authorizer is None
        concrete = route.path.replace("{event_id}", "ev-1").replace("{registration_id}", "reg-1")
        concrete = concrete.replace("{participant_id}", "p-1")
        response = requests.request(route.method, echo_gateway + concrete, timeout=10)
        if not public:
            assert response.status_code == 401, route.route_key
        elif route.function_logical_id in ECHOED:  # the echo double
            assert response.status_code == 200, route.route_key
            assert response.json()["event"]["routeKey"] == route.route_key
        else:  # a real function answers (its own 4xx for a made-up token or an unsigned webhook)
            assert response.status_code not in (401, 403) and response.status_code < 500, route.route_key


def _template_routes(cloud: LocalCloud) -> dict[str, bool]:
    values = {"UserPool": cloud.resources.user_pool_id, "UserPoolClient": cloud.resources.user_pool_client_id}
    values["AWS::Region"] = cloud.resources.region
    return {
        route.route_key: route.authorizer is None
        for route in RouteTable(routes_from_template(load_template(), values)).routes
    }


def test_public_routes_are_exactly_the_public_ones(cloud: LocalCloud) -> None:
    public = {key for key, is_public in _template_routes(cloud).items() if is_public}

    assert public == PUBLIC_ROUTES


def test_function_errors_become_500(echo_gateway: str) -> None:
    response = requests.get(f"{echo_gateway}/health", headers={"X-Echo-Fail": "1"}, timeout=10)

    assert response.status_code == 500
    assert response.json()["title"] == "Internal Server Error"


def test_lambda_proxy_response_is_mapped(echo_gateway: str) -> None:
    response = requests.get(f"{echo_gateway}/health", headers={"X-Echo-Status": "418"}, timeout=10)

    assert response.status_code == 418
    assert response.headers["X-Echo"] == "yes"
    assert response.cookies["session"] == "abc"


def test_cors_preflight_is_answered_by_the_gateway_without_a_token(cloud: LocalCloud) -> None:
    response = requests.options(
        f"{cloud.gateway_url}/events",
        headers={
            "Origin": "http://localhost:3000",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type,idempotency-key",
        },
        timeout=10,
    )

    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "http://localhost:3000"
    assert "POST" in response.headers["Access-Control-Allow-Methods"].split(",")
    assert "Idempotency-Key" in response.headers["Access-Control-Allow-Headers"].split(",")


def test_cors_allow_origin_only_for_an_allowed_origin(cloud: LocalCloud) -> None:
    allowed = requests.get(
        f"{cloud.gateway_url}/health", headers={"Origin": "http://localhost:3000"}, timeout=10
    )
    other = requests.get(
        f"{cloud.gateway_url}/health", headers={"Origin": "https://other.example"}, timeout=10
    )
    refused = requests.get(f"{cloud.gateway_url}/me", headers={"Origin": "http://localhost:3000"}, timeout=10)

    assert allowed.status_code == 200
    assert allowed.headers["Access-Control-Allow-Origin"] == "http://localhost:3000"
    assert "Access-Control-Allow-Origin" not in other.headers
    assert refused.status_code == 401  # the browser can read the gateway's own refusals too
    assert refused.headers["Access-Control-Allow-Origin"] == "http://localhost:3000"
