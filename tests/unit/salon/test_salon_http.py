"""Principal extraction, problem+json mapping, cursors, pydantic error paths."""

from __future__ import annotations

import json

import pytest
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from pydantic import ValidationError
from salon.kernel.auth import parse_groups, principal_from_claims, principal_from_event
from salon.kernel.dynamo import decode_cursor, encode_cursor
from salon.kernel.errors import DuplicateEmail, FieldError, NotFound, ValidationFailed
from salon.kernel.problems import from_exception
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


def body(response: object) -> dict[str, object]:
    data = json.loads(response.body)  # type: ignore[attr-defined]
    assert response.headers["Content-Type"] == "application/problem+json"  # type: ignore[attr-defined]
    return data  # type: ignore[no-any-return]


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


def test_request_validation_error_paths() -> None:
    try:
        RegistrationCreate.model_validate(
            {"type": "b", "company": {"name": "X", "country": "FR"}, "participants": [{}]}
        )
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]
    response = from_exception(RequestValidationError(errors), instance="", request_id="")
    fields = {e["field"] for e in body(response)["errors"]}  # type: ignore[union-attr]
    assert "participants[0].email" in fields


def test_json_errors_are_400_and_bugs_are_500() -> None:
    bad_json = RequestValidationError([{"type": "json_invalid", "loc": ("body", 1), "msg": "x"}])
    assert from_exception(bad_json, instance="", request_id="").status_code == 400
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
    from salon.kernel.policy import POLICY, authorize, check_path_ids
    from salon.kernel.principal import Principal

    check_path_ids({"event_id": "evt_0123abc", "registration_id": "reg-1"})
    for bad in ("x" * 65, "a#b", "é", "", "../etc"):
        with pytest.raises(NotFound):
            check_path_ids({"event_id": bad})
    organizer = Principal("u", "t", frozenset({"organizer"}))
    authorize("POST /events", organizer)
    authorize("GET /health", None)
    with pytest.raises(Unauthenticated):
        authorize("GET /me", None)
    with pytest.raises(Forbidden):
        authorize("GET /me", organizer)
    with pytest.raises(Forbidden):
        authorize("POST /events", Principal("u", "", frozenset({"organizer"})))
    assert all(" /" in route for route in POLICY)
