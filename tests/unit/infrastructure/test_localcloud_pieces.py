"""Pure pieces of the local cloud: route matching, claim rendering, response mapping, intrinsics."""

from __future__ import annotations

import base64

import pytest
from localcloud.auth import claim_as_string, scopes_of
from localcloud.http_event import map_result
from localcloud.intrinsics import resolved, substitute
from localcloud.routes import Route, RouteTable


def _table() -> RouteTable:
    return RouteTable(
        [
            Route("GET", "/events/{event_id}", "Fn", None),
            Route("PATCH", "/events/{event_id}", "Fn", None),
            Route("GET", "/events/special", "Other", None),
            Route("GET", "/files/{path+}", "Fn", None),
        ]
    )


def test_static_segments_win_over_parameters() -> None:
    matched = _table().match("GET", "/events/special")

    assert matched is not None and matched.route.function_logical_id == "Other"


def test_path_parameters_are_extracted() -> None:
    matched = _table().match("GET", "/events/ev-1")

    assert matched is not None
    assert matched.route.route_key == "GET /events/{event_id}"
    assert matched.path_parameters == {"event_id": "ev-1"}


def test_greedy_parameter_spans_segments() -> None:
    matched = _table().match("GET", "/files/a/b.txt")

    assert matched is not None and matched.path_parameters == {"path": "a/b.txt"}


def test_unknown_and_wrong_method() -> None:
    assert _table().match("GET", "/events/ev-1/extra") is None
    assert _table().match("DELETE", "/events/ev-1") is None
    assert _table().allowed_methods("/events/ev-1") == ["GET", "PATCH"]
    assert _table().allowed_methods("/nowhere") == []


@pytest.mark.parametrize(
    ("value", "rendered"),
    [(["organizer", "staff"], "[organizer staff]"), (True, "true"), (1700000000, "1700000000"), ("x", "x")],
)
def test_claims_render_like_http_apis(value: object, rendered: str) -> None:
    assert claim_as_string(value) == rendered


def test_scopes() -> None:
    assert scopes_of({"scope": "a b"}) == ["a", "b"]
    assert scopes_of({"token_use": "id"}) is None


def test_proxy_result_mapping() -> None:
    result = map_result(
        {
            "statusCode": 201,
            "headers": {"content-type": "application/json"},
            "cookies": ["a=1"],
            "body": base64.b64encode(b"\x00\x01").decode(),
            "isBase64Encoded": True,
        }
    )

    assert result.status == 201
    assert ("Set-Cookie", "a=1") in result.headers
    assert result.body == b"\x00\x01"


def test_non_proxy_result_is_inferred_as_json_200() -> None:
    result = map_result({"hello": "world"})

    assert (result.status, result.body) == (200, b'{"hello": "world"}')


def test_substitute_ref_getatt_and_sub() -> None:
    values = {"Pool": "eu-west-3_x", "Pool.Arn": "arn:pool", "AWS::Region": "eu-west-3"}
    node = {
        "a": {"Ref": "Pool"},
        "b": {"Fn::GetAtt": ["Pool", "Arn"]},
        "c": {"Fn::Sub": "https://cognito-idp.${AWS::Region}.amazonaws.com/${Pool}"},
        "d": {"Ref": "Unknown"},
        "e": {"Fn::Sub": "${Pool}-${Unknown}"},
    }

    assert substitute(node, values) == {
        "a": "eu-west-3_x",
        "b": "arn:pool",
        "c": "https://cognito-idp.eu-west-3.amazonaws.com/eu-west-3_x",
        "d": {"Ref": "Unknown"},
        "e": {"Fn::Sub": "eu-west-3_x-${Unknown}"},
    }


def test_resolved_refuses_leftovers() -> None:
    with pytest.raises(ValueError):
        resolved({"x": {"Ref": "Unknown"}}, {})
