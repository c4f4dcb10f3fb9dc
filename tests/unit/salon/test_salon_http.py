"""Principal extraction, problem+json mapping, cursors, pydantic error paths."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError
from salon.kernel.auth import parse_groups, principal_from_claims, principal_from_event
from salon.kernel.dynamo import decode_cursor, encode_cursor
from salon.kernel.errors import DuplicateEmail, FieldError, MalformedBody, NotFound, ValidationFailed
from salon.kernel.problems import from_exception
from salon.kernel.reply import Reply
from salon.registration.domain.registrations import RegistrationCreate


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("[organizer staff]", {"organizer", "staff"}),
        ("[dpo]", {"dpo"}),
        ('["organizer","staff"]', {"organizer", "staff"}),
        (["participant"], {"participant"}),
        ("organizer", {"organizer"}),
        ("[]", set()),
        (None, set()),
    ],
)
def test_groups(raw: object, expected: set[str]) -> None:
    assert parse_groups(raw) == expected


def test_principal_from_event() -> None:
    claims = {"sub": "u1", "custom:tenant_id": "t1", "cognito:groups": "[organizer]", "email": "x@y.z"}
    principal = principal_from_event({"requestContext": {"authorizer": {"jwt": {"claims": claims}}}})
    assert principal is not None and principal.tenant_id == "t1" and principal.roles == {"organizer"}
    assert principal_from_event({"requestContext": {}}) is None
    assert principal_from_claims({"custom:tenant_id": "t1"}) is None


def body(response: Reply) -> dict[str, object]:
    assert response.to_lambda()["headers"]["Content-Type"] == "application/problem+json"
    return dict(json.loads(response.body))


def test_problem_shape() -> None:
    response = from_exception(
        ValidationFailed("bad", errors=[FieldError("participants[0].email", "nope")]),
        instance="/x",
        request_id="r",
    )
    data = body(response)
    assert response.status_code == 422
    assert data["errors"] == [{"field": "participants[0].email", "message": "nope"}]
    assert {"type", "title", "status", "detail", "instance"} <= set(data)
    assert from_exception(NotFound("x"), instance="", request_id="").status_code == 404
    assert from_exception(DuplicateEmail("x"), instance="", request_id="").status_code == 409


def test_pydantic_error_paths() -> None:
    with pytest.raises(ValidationError) as caught:
        RegistrationCreate.model_validate(
            {"type": "b", "company": {"name": "X", "country": "FR"}, "participants": [{}]}
        )
    response = from_exception(caught.value, instance="", request_id="")
    fields = {e["field"] for e in body(response)["errors"]}  # type: ignore[union-attr]
    assert response.status_code == 422 and "participants[0].email" in fields


def test_malformed_bodies_are_400_and_bugs_are_500() -> None:
    assert from_exception(MalformedBody("x"), instance="", request_id="").status_code == 400
    assert from_exception(KeyError("bug"), instance="", request_id="").status_code == 500


def test_cursor_roundtrip_and_tenant_check() -> None:
    key = {"PK": "T#a#REG#1", "SK": "REGISTRATION", "GSI1PK": "T#a#EVENT#e#REGS", "GSI1SK": "x"}
    cursor = encode_cursor(key)
    assert decode_cursor(cursor, tenant_prefix="T#a#", index="GSI1") == key
    with pytest.raises(ValidationFailed):
        decode_cursor(cursor, tenant_prefix="T#b#", index="GSI1")
    with pytest.raises(ValidationFailed):
        decode_cursor(cursor, tenant_prefix="T#a#")  # a GSI1 cursor on a base-table query
    for junk in ("%%%", "bm90IGpzb24", encode_cursor({"PK": 1}) or ""):
        with pytest.raises(ValidationFailed):
            decode_cursor(junk, tenant_prefix="T#a#")


def test_path_ids_and_policy() -> None:
    from salon.kernel.errors import Forbidden, Unauthenticated
    from salon.kernel.policy import authorize, check_path_ids
    from salon.kernel.principal import Principal

    check_path_ids({"event_id": "evt_0123abc", "registration_id": "reg-1"})
    for bad in ("x" * 65, "a#b", "é", "", "../etc"):
        with pytest.raises(NotFound):
            check_path_ids({"event_id": bad})
    organizer = Principal("u", "t", frozenset({"organizer"}))
    assert authorize("POST /events", organizer).key == "POST /events"
    assert authorize("GET /health", None).public
    with pytest.raises(Unauthenticated):
        authorize("GET /me", None)
    with pytest.raises(Forbidden):
        authorize("GET /me", organizer)
    with pytest.raises(Forbidden):
        authorize("POST /events", Principal("u", "", frozenset({"organizer"})))


@pytest.mark.parametrize("route_key", ["DELETE /events", "GET /nowhere", "$default", ""])
def test_a_route_missing_from_the_table_is_refused(route_key: str) -> None:
    from salon.kernel.policy import authorize
    from salon.kernel.principal import ROLES, Principal

    with pytest.raises(NotFound):
        authorize(route_key, Principal("u", "t", frozenset(ROLES)))
