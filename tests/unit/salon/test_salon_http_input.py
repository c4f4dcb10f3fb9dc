"""The request rules every route shares: media type of bodies, JSON parsing limits, their problems."""

from __future__ import annotations

import json
from typing import Any

import pytest
from salon.kernel.errors import MalformedBody, UnsupportedMediaType, ValidationFailed
from salon.kernel.http_input import read_json_object, reject_undeclared_query, require_json_body
from salon.kernel.problems import from_exception


def event(method: str, body: str | None, content_type: str | None) -> dict[str, Any]:
    headers = {"host": "api.example"} | ({"Content-Type": content_type} if content_type else {})
    built: dict[str, Any] = {"headers": headers, "requestContext": {"http": {"method": method}}}
    if body is not None:
        built["body"] = body
    return built


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json",
        "Application/JSON",
        "application/json; charset=utf-8",
        'application/json;charset="UTF8"',
    ],
)
def test_json_bodies_pass_unchanged(content_type: str) -> None:
    request = event("POST", "{}", content_type)
    assert require_json_body(request) == request


@pytest.mark.parametrize(
    ("content_type", "reason"),
    [
        ("text/plain", "the body must be application/json"),
        ("application/xml", "the body must be application/json"),
        ("application/x-www-form-urlencoded", "the body must be application/json"),
        ("multipart/form-data; boundary=x", "the body must be application/json"),
        ("application/merge-patch+json", "the body must be application/json"),
        ("application/jsonx", "the body must be application/json"),
        ("application/json; charset=latin-1", "JSON bodies are UTF-8"),
        (None, "a body needs a Content-Type header"),
    ],
)
def test_other_bodies_are_unsupported(content_type: str | None, reason: str) -> None:
    with pytest.raises(UnsupportedMediaType) as raised:
        require_json_body(event("PUT", "<a/>", content_type))
    assert raised.value.detail == reason
    assert [error.field for error in raised.value.errors] == ["Content-Type"]


def test_an_empty_body_is_left_to_body_validation() -> None:
    stripped = require_json_body(event("POST", "", "text/plain"))
    assert "Content-Type" not in stripped["headers"] and stripped["headers"]["host"] == "api.example"
    assert require_json_body(event("POST", None, None))["headers"] == {"host": "api.example"}


def test_bodies_of_methods_that_take_none_are_not_judged() -> None:
    request = event("GET", "ignored", "text/plain")
    assert require_json_body(request) == request


@pytest.mark.parametrize(("method", "hint"), [("POST", "Accept-Post"), ("PATCH", "Accept-Patch")])
def test_415_problem_names_the_header_and_hints_the_type(method: str, hint: str) -> None:
    with pytest.raises(UnsupportedMediaType) as raised:
        require_json_body(event(method, "x", "text/plain"))
    response = from_exception(raised.value, instance="/events", request_id="r")
    data = json.loads(response.body)
    headers = response.to_lambda()["headers"]
    assert response.status_code == 415 and headers[hint] == "application/json"
    assert headers["Content-Type"] == "application/problem+json"
    assert data["type"].endswith("/unsupported-media-type") and data["status"] == 415
    assert data["errors"][0]["field"] == "Content-Type" and data["instance"] == "/events"


@pytest.mark.parametrize("text", ["[" * 100_000, '{"a":' * 50_000, "9" * 5_000, "{nope"])
def test_json_python_cannot_parse_is_malformed(text: str) -> None:
    with pytest.raises(MalformedBody):
        read_json_object(text)


def test_read_json_object_reads_json() -> None:
    assert read_json_object('{"a": [1, "é"]}') == {"a": [1, "é"]}


@pytest.mark.parametrize("text", ["[{}]", "[]", '"text"', "42", "null"])
def test_a_body_other_than_an_object_is_invalid(text: str) -> None:
    with pytest.raises(ValidationFailed) as raised:
        read_json_object(text)
    assert [error.field for error in raised.value.errors] == ["body"]


def test_query_parameters_the_route_does_not_declare_are_invalid() -> None:
    reject_undeclared_query({"limit": "5"}, frozenset({"limit", "cursor"}))
    with pytest.raises(ValidationFailed) as raised:
        reject_undeclared_query({"limit": "5", "sort": "x", "a" * 100: "y"}, frozenset({"limit"}))
    assert [error.field for error in raised.value.errors] == [f"query.{'a' * 64}", "query.sort"]
