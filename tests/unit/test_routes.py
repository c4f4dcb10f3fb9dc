"""The route table (salon.kernel.routes) is the one declaration of the API's routes: the template's HttpApi
events, every function's operations, docs/API.md's route x role table and the OpenAPI document follow it."""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache
from typing import Any

import pytest
from localcloud import apidoc
from localcloud.routes import routes_from_template
from localcloud.runtime import load_module
from localcloud.template import REPO_ROOT, load_template
from salon.kernel.http import Binding, Router
from salon.kernel.routes import BY_KEY, DOCS, REGISTER, ROUTES, routes_of

API_MD = REPO_ROOT / "docs" / "API.md"
ROLES = ("anonymous", "participant", "organizer", "staff", "dpo")
TEMPLATE_VALUES = {"AWS::Region": "eu-west-3", "UserPool": "eu-west-3_pool", "UserPoolClient": "client"}


@cache
def template() -> dict[str, Any]:
    return load_template()


@cache
def routers() -> dict[str, Router | None]:
    return apidoc.routers(template())


def bindings() -> dict[str, Binding]:
    return {key: b for router in routers().values() if router for key, b in router.bindings.items()}


def document() -> dict[str, Any]:
    return dict(json.loads(apidoc.DOCUMENT_PATH.read_text(encoding="utf-8")))


def test_every_http_api_event_of_every_function_is_a_declared_route() -> None:
    events = routes_from_template(template(), TEMPLATE_VALUES)
    in_template = Counter((r.method, r.path, r.function_logical_id, r.authorizer is None) for r in events)
    declared = Counter((r.method, r.path, r.function, r.public) for r in ROUTES)

    assert in_template == declared
    assert len(BY_KEY) == len(ROUTES), "a route key is declared twice"


def test_each_function_serves_exactly_its_declared_routes() -> None:
    assert set(routers()) == {route.function for route in ROUTES}
    for function, router in routers().items():
        if router is None:  # the docs function serves pages, not operations
            code = apidoc.http_functions(template())[function]
            served = set(load_module(f"test-{function}", code, {}).PAGES)
        else:
            served = set(router.bindings)
        assert served == {route.key for route in routes_of(function)}, function
    assert routers()[REGISTER] is not None and routers()[DOCS] is None


def _api_md_table() -> dict[str, list[str]]:
    text = API_MD.read_text(encoding="utf-8")
    section = text.split("## Route \N{MULTIPLICATION SIGN} role table", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, list[str]] = {}
    for line in section.splitlines():
        match = re.match(r"^\| `([A-Z]+ /[^`]*)` \|(.*)\|$", line)
        if match:
            assert match.group(1) not in rows, f"{match.group(1)} appears twice"
            rows[match.group(1)] = [cell.strip() for cell in match.group(2).split("|")]
    return rows


def test_api_md_route_role_table_is_the_route_table() -> None:
    table = _api_md_table()

    assert set(table) == set(BY_KEY)
    for key, cells in table.items():
        route = BY_KEY[key]
        for role, cell in zip(ROLES, cells, strict=True):
            if route.public:
                assert "✓" in cell, (key, role)
            elif role == "anonymous":
                assert cell == "401", (key, role)
            else:
                assert ("✓" in cell) == (role in route.roles), (key, role, cell)
                assert "✓" in cell or cell == "403", (key, role, cell)


def test_checked_in_openapi_document_is_current() -> None:
    assert apidoc.render(apidoc.build(template())) == apidoc.DOCUMENT_PATH.read_text(encoding="utf-8"), (
        "functions/docs/openapi.json is stale: run `make openapi`"
    )


def test_openapi_has_every_template_route_once_with_security_summary_and_tag() -> None:
    openapi = document()
    operations = [
        (method.upper(), path, operation)
        for path, methods in openapi["paths"].items()
        for method, operation in methods.items()
    ]
    events = routes_from_template(template(), TEMPLATE_VALUES)

    assert Counter(f"{method} {path}" for method, path, _ in operations) == Counter(
        r.route_key for r in events
    )
    public = {r.route_key for r in events if r.authorizer is None}
    assert openapi["components"]["securitySchemes"]["bearerAuth"] == {
        **openapi["components"]["securitySchemes"]["bearerAuth"],
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
    }
    for method, path, operation in operations:
        key = f"{method} {path}"
        assert operation["security"] == ([] if key in public else [{"bearerAuth": []}]), key
        assert operation["summary"] and operation["description"], key
        assert operation["tags"] and operation["tags"][0] in {t["name"] for t in openapi["tags"]}, key


def test_openapi_problems_follow_each_route_declaration() -> None:
    for path, methods in document()["paths"].items():
        for method, operation in methods.items():
            route = BY_KEY[f"{method.upper()} {path}"]
            statuses = {int(status) for status in operation["responses"]}
            problems = {status for status in statuses if status >= 400}
            assert ({401, 403} <= problems) is (not route.public), route.key
            assert not ({401, 403} & problems) or not route.public, route.key
            if route.idempotent:
                assert {409, 422, 503} <= problems, route.key
            if "requestBody" in operation:
                assert {400, 415, 422} <= problems, route.key
            if route.path_parameters:
                assert 404 in problems, route.key
            for status in problems:
                content = operation["responses"][str(status)]["content"]
                assert content["application/problem+json"]["schema"] == {
                    "$ref": "#/components/schemas/Problem"
                }


def test_every_request_body_has_an_example_its_model_accepts() -> None:
    with_body = {key: binding for key, binding in bindings().items() if binding.body is not None}
    assert "POST /events/{event_id}/registrations" in with_body
    for key, binding in with_body.items():
        assert binding.body is not None and binding.example is not None, key
        binding.body.model_validate(binding.example)
        route = BY_KEY[key]
        content = document()["paths"][route.path][route.method.lower()]["requestBody"]["content"]
        assert content["application/json"]["example"] == binding.example, key


@pytest.mark.parametrize("key", ["GET /openapi.json", "GET /docs"])
def test_docs_routes_are_public_and_served_by_the_docs_function(key: str) -> None:
    assert BY_KEY[key].public and BY_KEY[key].function == DOCS
