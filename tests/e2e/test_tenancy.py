"""Tenant isolation: tenant B never sees tenant A's events, registrations or audit records."""

from __future__ import annotations

from typing import Any

import pytest
from salon.kernel.usernames import participant_username
from test_register_support import L, Tenant, is_problem, ok, registration_body, tenant

pytestmark = pytest.mark.e2e


@pytest.fixture
def pair(user_factory: Any) -> tuple[Tenant, Tenant]:
    return tenant(user_factory, "ten-a"), tenant(user_factory, "ten-b")


def test_cross_tenant_ids_answer_404(pair: tuple[Tenant, Tenant], api: Any) -> None:
    a, b = pair
    created = ok(api.post(f"/events/{a.event_id}/registrations", json=registration_body()), 201)
    rid, pid = created["registration_id"], created["participants"][0]["participant_id"]
    ok(a.organizer.api.get(f"/registrations/{rid}"))  # A reads it: one audit record exists
    probes = [
        ("GET", f"/events/{a.event_id}", None),
        ("PATCH", f"/events/{a.event_id}", {"status": "closed"}),
        ("PUT", f"/events/{a.event_id}/form", {"fields": []}),
        ("POST", f"/events/{a.event_id}/types", {"code": "intruder", "labels": L}),
        ("GET", f"/events/{a.event_id}/types", None),
        ("PUT", f"/events/{a.event_id}/taxonomy", {"nodes": []}),
        ("GET", f"/events/{a.event_id}/registrations", None),
        ("GET", f"/registrations/{rid}", None),
        ("POST", f"/registrations/{rid}/decision", {"decision": "refuse", "reason": "intrusion"}),
        ("POST", f"/registrations/{rid}/participants/{pid}/deactivate", None),
    ]
    for method, path, body in probes:
        response = b.organizer.api.request(method, path, json=body)
        assert response.status_code == 404, (method, path, response.text)
        assert is_problem(response)
    # Nothing changed on A's side.
    detail = ok(a.organizer.api.get(f"/registrations/{rid}"))
    assert detail["state"] == "submitted" and detail["participants"][0]["account_status"] == "none"
    assert ok(a.organizer.api.get(f"/events/{a.event_id}"))["status"] == "published"
    # B's lists never contain A's items.
    assert all(
        e["tenant_id"] == b.tenant_id
        for e in ok(b.organizer.api.get("/events", params={"limit": 100}))["items"]
    )


def test_audit_is_per_tenant(pair: tuple[Tenant, Tenant], api: Any) -> None:
    a, b = pair
    created = ok(api.post(f"/events/{a.event_id}/registrations", json=registration_body()), 201)
    rid = created["registration_id"]
    ok(a.staff.api.get(f"/registrations/{rid}"))
    mine = ok(a.dpo.api.get("/audit", params={"subject_id": rid}))["items"]
    assert mine and mine[0]["actor_id"] == a.staff.sub and mine[0]["actor_role"] == "staff"
    assert ok(b.dpo.api.get("/audit", params={"subject_id": rid}))["items"] == []
    assert ok(b.dpo.api.get("/audit", params={"actor_id": a.staff.sub}))["items"] == []


def test_cursor_of_another_tenant_is_refused(pair: tuple[Tenant, Tenant], api: Any) -> None:
    a, b = pair
    for _ in range(2):
        ok(api.post(f"/events/{a.event_id}/registrations", json=registration_body()), 201)
    page = ok(a.organizer.api.get(f"/events/{a.event_id}/registrations", params={"limit": 1}))
    assert page["next_cursor"]
    stolen = b.organizer.api.get(
        f"/events/{b.event_id}/registrations", params={"cursor": page["next_cursor"]}
    )
    assert stolen.status_code == 422 and is_problem(stolen)


def test_public_registration_lands_in_the_event_tenant(
    pair: tuple[Tenant, Tenant], api: Any, cloud: Any
) -> None:
    a, b = pair
    body = registration_body()
    # A token of tenant B on the public route changes nothing: the tenant comes from the event.
    created = ok(b.organizer.api.post(f"/events/{a.event_id}/registrations", json=body), 201)
    assert ok(a.organizer.api.get(f"/registrations/{created['registration_id']}"))["tenant_id"] == a.tenant_id
    assert b.organizer.api.get(f"/registrations/{created['registration_id']}").status_code == 404
    # The login opened on validation is tenant A's, whoever posted the registration.
    ok(
        a.organizer.api.post(
            f"/registrations/{created['registration_id']}/decision", json={"decision": "validate"}
        )
    )
    idp = cloud.client("cognito-idp")
    email = body["participants"][0]["email"]
    user = idp.admin_get_user(
        UserPoolId=cloud.resources.user_pool_id, Username=participant_username(a.tenant_id, email)
    )
    attributes = {x["Name"]: x["Value"] for x in user["UserAttributes"]}
    assert attributes["custom:tenant_id"] == a.tenant_id
    with pytest.raises(idp.exceptions.UserNotFoundException):
        idp.admin_get_user(
            UserPoolId=cloud.resources.user_pool_id, Username=participant_username(b.tenant_id, email)
        )
