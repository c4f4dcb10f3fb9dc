"""The local gateway's CORS: API Gateway's preflight answer and allow-origin header, from the template."""

from __future__ import annotations

from functools import cache

from localcloud.cors import CorsConfiguration, is_preflight
from localcloud.http_event import HttpResult
from localcloud.template import load_template, translate

ALLOWED = "http://localhost:3000"
METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


@cache
def cors() -> CorsConfiguration:
    configuration = CorsConfiguration.of_api(translate(load_template()))
    assert configuration is not None
    return configuration


def test_the_configuration_is_the_template_s() -> None:
    assert cors().allow_origins == (ALLOWED,)
    assert set(cors().allow_methods) == METHODS
    assert "Idempotency-Key" in cors().allow_headers


def test_a_preflight_from_an_allowed_origin_is_answered() -> None:
    result = cors().preflight(ALLOWED)

    assert result.status == 204
    headers = dict(result.headers)
    assert headers["Access-Control-Allow-Origin"] == ALLOWED
    assert set(headers["Access-Control-Allow-Methods"].split(",")) == METHODS
    assert "Authorization" in headers["Access-Control-Allow-Headers"].split(",")
    assert headers["Access-Control-Max-Age"] == "600"


def test_another_origin_gets_no_cors_header() -> None:
    assert cors().preflight("https://evil.example").headers == []
    assert cors().add_headers("https://evil.example", HttpResult(200)).headers == []
    assert cors().add_headers(None, HttpResult(200)).headers == []


def test_a_response_to_an_allowed_origin_carries_the_allow_origin_header() -> None:
    result = cors().add_headers(ALLOWED, HttpResult(200, [("Content-Type", "application/json")]))

    assert result.headers == [("Content-Type", "application/json"), ("Access-Control-Allow-Origin", ALLOWED)]


def test_a_preflight_is_an_options_request_asking_for_a_method() -> None:
    assert is_preflight("OPTIONS", "POST")
    assert not is_preflight("OPTIONS", None)
    assert not is_preflight("GET", "POST")
