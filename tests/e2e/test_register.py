"""Registration over HTTP: the whole flow, idempotency, atomicity, validation, privacy of logs."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from salon.kernel.usernames import participant_username
from test_register_support import (
    FORM,
    TAXONOMY,
    Tenant,
    event_body,
    is_problem,
    ok,
    registration_body,
    tenant,
)

pytestmark = pytest.mark.e2e

PASSWORD = "Local-Passw0rd-2026"


@pytest.fixture
def world(user_factory: Any) -> Tenant:
    return tenant(user_factory, "reg")


def register(api: Any, event_id: str, body: dict[str, Any], key: str | None = None) -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return api.post(f"/events/{event_id}/registrations", json=body, headers=headers)


def test_health_openapi_and_docs(api: Any) -> None:
    assert ok(api.get("/health")) == {"status": "ok"}
    spec = ok(api.get("/openapi.json"))
    assert spec["openapi"].startswith("3.")
    assert "/events/{event_id}/registrations" in spec["paths"]
    for model in (
        "RegistrationCreate",
        "RegistrationCreated",
        "RegistrationDetail",
        "MeOut",
        "AuditPage",
        "Problem",
    ):
        assert model in spec["components"]["schemas"], model
    created = spec["paths"]["/events/{event_id}/registrations"]["post"]["responses"]
    assert "201" in created and "application/problem+json" in created["422"]["content"]
    docs = api.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


def test_full_registration_flow(world: Tenant, api: Any, cloud: Any) -> None:
    org = world.organizer.api
    body = registration_body(people=2)
    first = register(api, world.event_id, body, key="flow-1")
    created = ok(first, 201)
    assert created["state"] == "submitted"
    assert [set(p) for p in created["participants"]] == [{"participant_id"}, {"participant_id"}]
    assert "email" not in first.text and body["participants"][0]["last_name"] not in first.text

    # Idempotent retry: same key, same body -> the same response and nothing new.
    again = register(api, world.event_id, body, key="flow-1")
    assert again.status_code == 201 and again.text == first.text
    tag = body["company"]["name"].split()[-1]
    listed = ok(org.get(f"/events/{world.event_id}/registrations", params={"q": tag}))
    assert [i["registration_id"] for i in listed["items"]] == [created["registration_id"]]
    # Same key, other body -> 422 problem.
    other = register(api, world.event_id, registration_body(), key="flow-1")
    assert other.status_code == 422 and is_problem(other)
    assert other.json()["type"].endswith("/idempotency-key-reuse")

    rid = created["registration_id"]
    detail = ok(org.get(f"/registrations/{rid}"))
    assert detail["company"]["answers"] == {"sector": "IND.MEC", "export": False}
    assert detail["participants"][0]["email"] == body["participants"][0]["email"]
    assert detail["participants"][0]["last_verified_at"]
    assert 0 < detail["completeness"] < 100

    assert [p["account_status"] for p in detail["participants"]] == ["none", "none"]  # no login yet
    decided = ok(org.post(f"/registrations/{rid}/decision", json={"decision": "validate"}))
    assert decided["state"] == "validated" and decided["decided_by"] == world.organizer.sub
    assert [p["account_status"] for p in decided["participants"]] == ["active", "active"]
    conflict = org.post(f"/registrations/{rid}/decision", json={"decision": "refuse", "reason": "late"})
    assert conflict.status_code == 409 and is_problem(conflict)
    assert conflict.json()["type"].endswith("/invalid-transition")

    # The participant logs in through the tenant's portal (Cognito sent the invitation; we set the password).
    email = body["participants"][0]["email"]
    username = participant_username(world.tenant_id, email)
    cloud.set_password(username, PASSWORD)
    person = api.with_token(cloud.login(username, PASSWORD))
    mine = ok(person.get("/me"))
    (participation,) = mine["participations"]
    assert participation["registration_state"] == "validated" and participation["email"] == email
    before = participation["last_verified_at"]
    patched = ok(person.patch("/me", json={"job_title": "Directrice achats", "phone": "+33 7 00 00 00 01"}))
    after = patched["participations"][0]
    assert after["job_title"] == "Directrice achats" and after["phone"] == "+33700000001"
    assert after["last_verified_at"] > before
    assert person.patch("/me", json={"email": "new@x.example"}).status_code == 422

    profile = {
        "needs": ["IND.MEC.USI"],
        "offers": ["SRV"],
        "description": {"fr": "Usinage de précision", "en": "Machining"},
    }
    shown = ok(person.put("/me/profile", json=profile))["participations"][0]["profile"]
    assert shown["needs"] == ["IND.MEC.USI"] and shown["last_verified_at"]
    bad = person.put("/me/profile", json={"needs": ["NOPE"]})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "needs[0]"
    assert ok(org.get(f"/registrations/{rid}"))["completeness"] > detail["completeness"]

    # The organiser deactivates the account: the person can no longer log in.
    pid = participation["participant_id"]
    gone = ok(org.post(f"/registrations/{rid}/participants/{pid}/deactivate"))
    assert gone["account_status"] == "deactivated"
    with pytest.raises(Exception):  # noqa: B017 - moto raises NotAuthorizedException for disabled users
        cloud.login(username, PASSWORD)

    # Everything the organiser did to this person's data is in the audit trail.
    trail = ok(world.dpo.api.get("/audit", params={"subject_id": pid}))["items"]
    actions = {item["action"] for item in trail}
    assert {
        "registration.read",
        "registration.list",
        "registration.decide",
        "participant.deactivate",
    } <= actions
    assert all(
        item["actor_id"] == world.organizer.sub and item["tenant_id"] == world.tenant_id for item in trail
    )
    by_actor = ok(world.dpo.api.get("/audit", params={"actor_id": world.organizer.sub, "limit": 100}))[
        "items"
    ]
    assert any(pid in item["subject_ids"] for item in by_actor)


def test_duplicate_email_in_event_is_409(world: Tenant, api: Any) -> None:
    body = registration_body()
    ok(register(api, world.event_id, body), 201)
    second = registration_body()
    second["participants"][0]["email"] = body["participants"][0]["email"].upper()
    response = register(api, world.event_id, second)
    assert response.status_code == 409 and is_problem(response)
    assert response.json()["errors"][0]["field"] == "participants[0].email"
    same_request = registration_body(people=2)
    same_request["participants"][1]["email"] = same_request["participants"][0]["email"]
    assert register(api, world.event_id, same_request).status_code == 422


def test_form_rules_are_enforced(world: Tenant, api: Any) -> None:
    body = registration_body()
    body["company"]["answers"] = {"sector": "NOPE", "export": True}
    body["participants"][0]["answers"] = {}
    body["type"] = "ghost"
    response = register(api, world.event_id, body)
    assert response.status_code == 422 and is_problem(response)
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {
        "type",
        "company.answers.sector",
        "company.answers.export_zones",
        "participants[0].answers.gdpr",
    }


def test_public_form_and_taxonomy(world: Tenant, api: Any) -> None:
    form = ok(api.get(f"/events/{world.event_id}/form"))
    assert [f["key"] for f in form["fields"]] == [f["key"] for f in FORM["fields"]]
    assert form["fields"][2]["show_if"] == {"field": "export", "equals": True}
    assert {t["code"] for t in form["types"]} == {"buyer", "supplier"}
    assert len(ok(api.get(f"/events/{world.event_id}/taxonomy"))["nodes"]) == 4


def test_draft_and_closed_events(world: Tenant, api: Any) -> None:
    org = world.organizer.api
    draft = ok(org.post("/events", json=event_body(status="draft")), 201)["event_id"]
    assert ok(api.get(f"/events/{draft}/form"))["fields"] == []  # the organiser's preview
    assert register(api, draft, registration_body()).status_code == 404
    dates = event_body()["key_dates"]  # opens yesterday; the catalogue opens "now"
    inverted = {
        "registration_opens_at": dates["catalogue_opens_at"],
        "registration_closes_at": dates["registration_opens_at"],
    }
    bad = org.patch(f"/events/{draft}", json={"key_dates": inverted})
    assert bad.status_code == 422 and is_problem(bad)
    # Publish with a window that is already over: [yesterday, now).
    published = ok(
        org.patch(
            f"/events/{draft}",
            json={
                "status": "published",
                "key_dates": {"registration_closes_at": dates["catalogue_opens_at"]},
            },
        )
    )
    assert published["status"] == "published" and published["registration_open"] is False
    assert ok(api.get(f"/events/{draft}/form"))["event_id"] == draft
    closed = register(api, draft, registration_body())
    assert closed.status_code == 409 and closed.json()["type"].endswith("/registration-closed")


def test_key_dates_order_is_validated(world: Tenant) -> None:
    body = event_body()
    body["key_dates"]["answers_deadline_at"], body["key_dates"]["requests_deadline_at"] = (
        body["key_dates"]["requests_deadline_at"],
        body["key_dates"]["answers_deadline_at"],
    )
    response = world.organizer.api.post("/events", json=body)
    assert response.status_code == 422 and is_problem(response)
    assert "key_dates.answers_deadline_at" in {e["field"] for e in response.json()["errors"]}


def test_listing_filters_and_pagination(world: Tenant, api: Any) -> None:
    org = world.organizer.api
    for _ in range(3):
        ok(register(api, world.event_id, registration_body()), 201)
    page = ok(org.get(f"/events/{world.event_id}/registrations", params={"limit": 1}))
    assert len(page["items"]) == 1 and page["next_cursor"]
    page2 = ok(
        org.get(f"/events/{world.event_id}/registrations", params={"limit": 1, "cursor": page["next_cursor"]})
    )
    assert page2["items"][0]["registration_id"] != page["items"][0]["registration_id"]
    tampered = org.get(f"/events/{world.event_id}/registrations", params={"cursor": "e30"})
    assert tampered.status_code == 422 and is_problem(tampered)
    refused_only = ok(
        org.get(f"/events/{world.event_id}/registrations", params={"state": "refused", "type": "buyer"})
    )
    assert all(i["state"] == "refused" for i in refused_only["items"])
    assert org.get(f"/events/{world.event_id}/registrations", params={"state": "bogus"}).status_code == 422
    accent = ok(org.get(f"/events/{world.event_id}/registrations", params={"q": "ZEPHYR", "limit": 100}))
    assert accent["items"]


MALFORMED: list[tuple[str, Any]] = [
    ("data", "{not json"),
    ("data", ""),
    ("data", "null"),
    ("data", "[]"),
    ("data", '"text"'),
    ("data", "42"),
    ("data", b"\xff\xfe\x00garbage"),
    ("json", {}),
    ("json", {"type": "buyer"}),
    ("json", {"type": "buyer", "company": "x", "participants": "y"}),
    ("json", {"type": "buyer", "company": {"name": "", "country": "ZZZ"}, "participants": []}),
    ("json", {**registration_body(), "extra": 1}),
    ("json", {**registration_body(), "participants": [{"email": "x"}]}),
    ("json", {**registration_body(), "participants": [{}] * 25}),
    ("json", {**registration_body(), "type": None}),
    ("json", {**registration_body(), "locale": "de"}),
    ("json", {**registration_body(), "company": {"name": "x" * 5000, "country": "FR"}}),
    (
        "json",
        {
            **registration_body(),
            "company": {"name": "X", "country": "FR", "answers": {"sector": {"$gt": ""}}},
        },
    ),
    ("json", {**registration_body(), "company": {"name": "X", "country": "FR", "answers": [1, 2]}}),
    (
        "json",
        {
            **registration_body(),
            "company": {"name": "X", "country": "FR", "answers": {"sector": "x" * 40_000}},
        },
    ),
]


@pytest.mark.parametrize(("kind", "payload"), MALFORMED)
def test_malformed_bodies_are_4xx_problems(world: Tenant, api: Any, kind: str, payload: Any) -> None:
    response = api.post(f"/events/{world.event_id}/registrations", **{kind: payload})
    assert 400 <= response.status_code < 500, response.text
    assert is_problem(response)
    body = response.json()
    assert body["status"] == response.status_code and body["type"] and body["title"]


def test_fuzzed_registration_bodies_never_500(world: Tenant, api: Any) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    scalars = (
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(max_size=20)
    )
    values = st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
        max_leaves=8,
    )
    base = registration_body()
    mutations = st.fixed_dictionaries(
        {},
        optional={
            "type": values,
            "locale": values,
            "company": values | st.fixed_dictionaries({"name": values, "country": values, "answers": values}),
            "participants": values
            | st.lists(
                st.dictionaries(
                    st.sampled_from(["first_name", "last_name", "email", "phone", "answers", "x"]), values
                ),
                max_size=3,
            ),
        },
    )

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(mutations)
    def check(mutation: dict[str, Any]) -> None:
        response = api.post(
            f"/events/{world.event_id}/registrations",
            json={**base, **mutation, "locale": mutation.get("locale", "fr")},
        )
        assert response.status_code < 500, response.text
        if response.status_code >= 400:
            assert is_problem(response)

    check()


class FailingIdentity:
    """Cognito that fails for the first ``failures`` calls (a fault that cannot be produced otherwise)."""

    def __init__(self, real: Any, failures: int) -> None:
        self.real, self.failures = real, failures

    def ensure_participant(self, tenant_id: str, email: str, locale: str) -> Any:
        from salon.registration.adapters.identity import IdentityError

        if self.failures > 0:
            self.failures -= 1
            raise IdentityError("InternalErrorException")
        return self.real.ensure_participant(tenant_id, email, locale)

    def disable_participant(self, tenant_id: str, username: str) -> None:
        self.real.disable_participant(tenant_id, username)


@pytest.fixture
def flaky_cognito(cloud: Any) -> Iterator[FailingIdentity]:
    from salon.registration import logins

    failing = FailingIdentity(logins.get(), failures=1)
    logins.override(failing)
    try:
        yield failing
    finally:
        logins.override(None)  # back to the lazily built, environment-derived login adapter


def test_cognito_failure_at_validation_is_finished_by_validating_again(
    world: Tenant, api: Any, flaky_cognito: FailingIdentity
) -> None:
    body = registration_body(people=2)
    rid = ok(register(api, world.event_id, body), 201)["registration_id"]
    org = world.organizer.api
    failed = org.post(f"/registrations/{rid}/decision", json={"decision": "validate"})
    assert failed.status_code == 503 and is_problem(failed) and failed.headers.get("Retry-After")
    stored = ok(org.get(f"/registrations/{rid}"))
    assert stored["state"] == "validated"  # the decision is kept, whole
    assert sorted(p["account_status"] for p in stored["participants"]) == ["active", "pending"]
    retried = ok(org.post(f"/registrations/{rid}/decision", json={"decision": "validate"}))
    assert [p["account_status"] for p in retried["participants"]] == ["active", "active"]
    # Nothing left to finish: validating again is an invalid transition once more.
    again = org.post(f"/registrations/{rid}/decision", json={"decision": "validate"})
    assert again.status_code == 409 and again.json()["type"].endswith("/invalid-transition")


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(f"{record.getMessage()} {record.__dict__}")


def test_logs_carry_ids_never_personal_data(world: Tenant, api: Any) -> None:
    capture = Capture()
    loggers = [
        logging.getLogger(),
        *(logging.getLogger(name) for name in list(logging.Logger.manager.loggerDict)),
    ]
    for logger in loggers:
        logger.addHandler(capture)
    try:
        body = registration_body()
        created = ok(register(api, world.event_id, body, key=f"log-{uuid.uuid4().hex}"), 201)
        ok(world.organizer.api.get(f"/registrations/{created['registration_id']}"))
        bad = registration_body()
        bad["participants"][0]["phone"] = "not a phone"
        register(api, world.event_id, bad)
    finally:
        for logger in loggers:
            logger.removeHandler(capture)
    text = "\n".join(capture.records)
    assert created["registration_id"] in text, "the capture saw nothing: the test is blind"
    person = body["participants"][0]
    for secret in (
        person["email"],
        person["first_name"],
        person["last_name"],
        person["phone"],
        body["company"]["name"],
        bad["participants"][0]["email"],
    ):
        assert secret not in text


def test_idempotent_event_creation_and_decision(world: Tenant, api: Any) -> None:
    org = world.organizer.api
    key = {"Idempotency-Key": f"evt-{uuid.uuid4().hex}"}
    body = event_body(status="draft")
    first = org.post("/events", json=body, headers=key)
    second = org.post("/events", json=body, headers=key)
    assert first.status_code == second.status_code == 201 and first.text == second.text
    # Same key, another body: refused.
    assert org.post("/events", json={**body, "currency": "USD"}, headers=key).status_code == 422
    assert org.post("/events", json=body, headers={"Idempotency-Key": ""}).status_code == 422
    rid = ok(register(api, world.event_id, registration_body()), 201)["registration_id"]
    decision_key = {"Idempotency-Key": f"dec-{uuid.uuid4().hex}"}
    refuse = {"decision": "refuse", "reason": "incomplete file"}
    one = org.post(f"/registrations/{rid}/decision", json=refuse, headers=decision_key)
    two = org.post(f"/registrations/{rid}/decision", json=refuse, headers=decision_key)
    assert one.status_code == two.status_code == 200 and one.text == two.text  # not a 409: it is a replay
    assert one.json()["state"] == "refused"
    trail = ok(
        world.dpo.api.get(
            "/audit", params={"subject_id": rid, "from": "2000-01-01T00:00:00Z", "to": "2100-01-01T00:00:00Z"}
        )
    )
    assert [i["action"] for i in trail["items"]].count("registration.decide") == 1
    future = ok(world.dpo.api.get("/audit", params={"subject_id": rid, "from": "2100-01-01T00:00:00Z"}))
    assert future["items"] == []
    assert world.dpo.api.get("/audit").status_code == 422
    assert world.dpo.api.get("/audit", params={"subject_id": rid, "from": "yesterday"}).status_code == 422


def test_hostile_inputs_never_reach_a_500(world: Tenant, api: Any) -> None:
    import base64
    import json

    org = world.organizer.api
    for path in (f"/events/{'x' * 3000}", "/registrations/a%23b", f"/registrations/{'é' * 10}"):
        response = org.get(path)
        assert response.status_code == 404 and is_problem(response), path
    surrogate = '{"type":"buyer","company":{"name":"\\ud800","country":"FR"},"participants":[]}'
    response = api.post(
        f"/events/{world.event_id}/registrations",
        data=surrogate,
        headers={"Content-Type": "application/json"},
    )
    assert 400 <= response.status_code < 500 and is_problem(response)
    body = registration_body()
    body["participants"][0]["first_name"] = "\ud800"
    raw = json.dumps(body)  # keeps the lone surrogate as an escape
    response = api.post(
        f"/events/{world.event_id}/registrations", data=raw, headers={"Content-Type": "application/json"}
    )
    assert 400 <= response.status_code < 500 and is_problem(response), response.text
    prefix = f"T#{world.tenant_id}#"
    forged = {"PK": prefix + "x", "SK": "y", "GSI1PK": prefix + "EVENT#other#REGS", "GSI1SK": "z"}
    cursor = base64.urlsafe_b64encode(json.dumps(forged).encode()).decode().rstrip("=")
    response = org.get(f"/events/{world.event_id}/registrations", params={"cursor": cursor})
    assert response.status_code in (200, 422) and (response.status_code == 200 or is_problem(response))
    audit = world.dpo.api.get(
        "/audit", params={"subject_id": "x", "from": "2020-01-01T00:00:00", "to": "2030-01-01T00:00:00Z"}
    )
    assert audit.status_code == 200, audit.text


def test_personal_items_expire_36_months_after_the_event(world: Tenant, api: Any, cloud: Any) -> None:
    from datetime import datetime, timedelta

    created = ok(register(api, world.event_id, registration_body()), 201)
    event = ok(world.organizer.api.get(f"/events/{world.event_id}"))
    ends = datetime.fromisoformat(event["ends_at"].replace("Z", "+00:00"))
    table = cloud.client("dynamodb")
    rows = table.query(
        TableName=cloud.resources.table_name,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": f"T#{world.tenant_id}#REG#{created['registration_id']}"}},
    )["Items"]
    assert {r["item_type"]["S"] for r in rows} == {"registration", "participant"}
    for row in rows:
        expiry = datetime.fromtimestamp(int(row["expires_at"]["N"]), tz=ends.tzinfo)
        assert timedelta(days=3 * 365 - 5) < expiry - ends < timedelta(days=3 * 365 + 5)


@pytest.mark.parametrize(("route", "body"), [("form", FORM), ("taxonomy", TAXONOMY)])
def test_concurrent_configuration_edits_one_wins_the_other_gets_409(
    world: Tenant, route: str, body: dict[str, Any]
) -> None:
    organizer = world.organizer.api
    event_id = ok(organizer.post("/events", json=event_body()), 201)["event_id"]
    path = f"/events/{event_id}/{route}"
    read = ok(organizer.get(path))["version"]
    first = ok(organizer.put(path, json={**body, "version": read}))
    assert first["version"] == read + 1
    stale = organizer.put(path, json={**body, "version": read})
    assert stale.status_code == 409 and is_problem(stale)
    assert ok(organizer.get(path))["version"] == read + 1
    assert ok(organizer.put(path, json={**body, "version": read + 1}))["version"] == read + 2
