"""The API's documentation over HTTP, through the local gateway: one OpenAPI document for every function's
routes, and a Swagger UI page that loads it and offers the bearer-token Authorize."""

from __future__ import annotations

import json
from typing import Any

import pytest
from localcloud.apidoc import DOCUMENT_PATH
from salon.kernel.routes import ROUTES
from test_register_support import ok

pytestmark = pytest.mark.e2e


def test_openapi_json_is_the_checked_in_document_of_every_route(api: Any) -> None:
    response = api.get("/openapi.json")
    served = ok(response)

    assert response.headers["Content-Type"].startswith("application/json")
    assert served == json.loads(DOCUMENT_PATH.read_text(encoding="utf-8"))
    operations = {f"{method.upper()} {path}" for path, ops in served["paths"].items() for method in ops}
    assert operations == {route.key for route in ROUTES}
    assert served["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_docs_is_swagger_ui_on_that_document(api: Any) -> None:
    response = api.get("/docs")

    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
    assert "SwaggerUIBundle" in response.text and 'url: "openapi.json"' in response.text


def test_a_token_from_the_documented_scheme_is_accepted(world_token: str, api: Any) -> None:
    """What Swagger UI's Authorize sends: ``Authorization: Bearer <ID token>``."""
    response = api.get("/events", headers={"Authorization": f"Bearer {world_token}"})
    assert response.status_code == 200, response.text


@pytest.fixture
def world_token(user_factory: Any) -> str:
    return str(user_factory("organizer", "t-docs").token)
