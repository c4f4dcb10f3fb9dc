"""Meeting requests over HTTP through the local gateway: send, mutual, answer, cancel, lists, the rules'
refusals (deadline, caps, types, oneself, duplicates), concurrency, staff on behalf (audited), exports,
caps and boosts, tenants, and the domain events each change announces."""

from __future__ import annotations

import csv
import io
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from openpyxl import load_workbook
from salon.kernel.usernames import participant_username
from test_register_support import Tenant, iso, make_event, ok, registration_body, tenant

pytestmark = pytest.mark.e2e

PASSWORD = "Local-Passw0rd-2026"
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Company:
    registration_id: str
    participant_ids: list[str]
    api: Any  # signed in as its first participant


@dataclass(frozen=True)
class Fair:
    world: Tenant
    cloud: Any
    public: Any

    @property
    def event_id(self) -> str:
        return self.world.event_id

    def company(self, type_: str, event_id: str | None = None, people: int = 2) -> Company:
        """A validated company of ``type_`` whose first participant is signed in."""
        body = registration_body(people=people, type=type_)
        event_id = event_id or self.event_id
        created = ok(self.public.post(f"/events/{event_id}/registrations", json=body), 201)
        rid = created["registration_id"]
        decision = {"decision": "validate"}
        ok(self.world.organizer.api.post(f"/registrations/{rid}/decision", json=decision))
        username = participant_username(self.world.tenant_id, body["participants"][0]["email"])
        self.cloud.set_password(username, PASSWORD)
        signed_in = self.public.with_token(self.cloud.login(username, PASSWORD))
        return Company(rid, [p["participant_id"] for p in created["participants"]], signed_in)

    def send(self, sender: Company, receiver: Company, **body: Any) -> Any:
        body = {"to_registration_id": receiver.registration_id, **body}
        return sender.api.post(f"/events/{self.event_id}/meeting-requests", json=body)


@pytest.fixture
def fair(user_factory: Any, cloud: Any, api: Any) -> Fair:
    return Fair(tenant(user_factory, "mreq"), cloud, api)


def problem(response: Any, status: int, kind: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    data: dict[str, Any] = response.json()
    assert data["type"] == f"/problems/{kind}", data
    return data


def test_send_answer_cancel_and_list_mine(fair: Fair) -> None:
    buyer, supplier, other = fair.company("buyer"), fair.company("supplier"), fair.company("supplier")
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = {"to_registration_id": supplier.registration_id, "message": "Bonjour", "priority": 2}
    path = f"/events/{fair.event_id}/meeting-requests"
    sent = ok(buyer.api.post(path, json=body, headers=key), 201)
    assert (sent["state"], sent["resolution"], sent["mutual"]) == ("sent", "created", False)
    assert ok(buyer.api.post(path, json=body, headers=key), 201) == sent  # a retry, not a second request
    problem(fair.send(buyer, supplier), 409, "duplicate-request")

    received = ok(supplier.api.get("/me/meeting-requests", params={"direction": "received"}))
    assert [(r["request_id"], r["message"]) for r in received["items"]] == [(sent["request_id"], "Bonjour")]
    answered = ok(
        supplier.api.post(f"/meeting-requests/{sent['request_id']}/answer", json={"decision": "approve"})
    )
    assert answered["state"] == "approved"
    problem(buyer.api.post(f"/meeting-requests/{sent['request_id']}/cancel"), 409, "invalid-transition")
    problem(
        buyer.api.post(f"/meeting-requests/{sent['request_id']}/answer", json={"decision": "refuse"}),
        403,
        "forbidden",
    )

    second = ok(fair.send(buyer, other), 201)
    ok(buyer.api.post(f"/meeting-requests/{second['request_id']}/cancel"))
    mine = ok(buyer.api.get("/me/meeting-requests", params={"direction": "sent", "event_id": fair.event_id}))
    assert {r["request_id"]: (r["state"], r["weight"]) for r in mine["items"]} == {
        sent["request_id"]: ("approved", 20),  # priority 2, one-sided
        second["request_id"]: ("cancelled", 0),
    }
    only = ok(buyer.api.get("/me/meeting-requests", params={"direction": "sent", "state": "cancelled"}))
    assert [r["request_id"] for r in only["items"]] == [second["request_id"]]
    problem(buyer.api.get("/me/meeting-requests", params={"direction": "both"}), 422, "validation")


def test_a_request_to_a_company_that_asked_first_approves_theirs(fair: Fair) -> None:
    buyer, supplier = fair.company("buyer"), fair.company("supplier")
    theirs = ok(fair.send(supplier, buyer, message="Rencontrons-nous"), 201)

    mine = ok(fair.send(buyer, supplier), 201)

    assert (mine["request_id"], mine["state"], mine["mutual"], mine["resolution"]) == (
        theirs["request_id"],
        "approved",
        True,
        "approved_theirs",
    )
    listed = ok(supplier.api.get("/me/meeting-requests", params={"direction": "sent"}))["items"]
    assert [(r["state"], r["mutual"], r["weight"]) for r in listed] == [("approved", True, 40)]


def test_the_rules_refuse_with_the_field_at_fault(fair: Fair) -> None:
    buyer, other_buyer = fair.company("buyer"), fair.company("buyer")
    itself = problem(fair.send(buyer, buyer), 422, "validation")
    assert [e["field"] for e in itself["errors"]] == ["to_registration_id"]
    assert "itself" in itself["errors"][0]["message"]
    forbidden = problem(fair.send(buyer, other_buyer), 422, "validation")
    assert [e["field"] for e in forbidden["errors"]] == ["to_registration_id"]
    unknown = problem(
        fair.send(buyer, fair.company("supplier"), to_participant_ids=["par_nobody"]), 422, "validation"
    )
    assert [e["field"] for e in unknown["errors"]] == ["to_participant_ids[0]"]
    invalid = problem(fair.send(buyer, other_buyer, priority=4), 422, "validation")
    assert [e["field"] for e in invalid["errors"]] == ["priority"]


def test_caps_are_set_by_the_organiser_and_refuse_with_422(fair: Fair, user_factory: Any) -> None:
    organizer = fair.world.organizer.api
    event_id = make_event(fair.world.organizer)
    path = f"/events/{event_id}/matchmaking"
    current = ok(organizer.get(path))
    assert current == {"event_id": event_id, "limits": {}, "version": 0}
    caps = {"limits": {"buyer": {"max_requests_sent": 5, "max_priority_one": 1}}, "version": 0}
    assert ok(organizer.put(path, json=caps)) == {"event_id": event_id, "version": 1}
    problem(organizer.put(path, json=caps), 409, "conflict")  # written over a version no longer current
    problem(fair.world.staff.api.put(path, json={**caps, "version": 1}), 403, "forbidden")
    assert ok(fair.world.staff.api.get(path))["limits"]["buyer"]["max_priority_one"] == 1

    buyer = fair.company("buyer", event_id)
    first, second = fair.company("supplier", event_id), fair.company("supplier", event_id)
    send = f"/events/{event_id}/meeting-requests"
    ok(buyer.api.post(send, json={"to_registration_id": first.registration_id, "priority": 1}), 201)
    capped = buyer.api.post(send, json={"to_registration_id": second.registration_id, "priority": 1})
    assert [e["field"] for e in problem(capped, 422, "limit-reached")["errors"]] == ["priority"]
    ok(buyer.api.post(send, json={"to_registration_id": second.registration_id, "priority": 2}), 201)


def test_requests_close_at_the_deadline_with_409(fair: Fair) -> None:
    event_id = make_event(fair.world.organizer)
    buyer, supplier = fair.company("buyer", event_id), fair.company("supplier", event_id)
    now = datetime.now(UTC)
    key_dates = {
        "registration_opens_at": iso(now - timedelta(days=3)),
        "catalogue_opens_at": iso(now - timedelta(days=2)),
        "requests_deadline_at": iso(now - timedelta(minutes=1)),
    }
    ok(fair.world.organizer.api.patch(f"/events/{event_id}", json={"key_dates": key_dates}))

    late = buyer.api.post(
        f"/events/{event_id}/meeting-requests", json={"to_registration_id": supplier.registration_id}
    )

    assert "requests_deadline_at" in problem(late, 409, "window-closed")["detail"]


def test_concurrent_requests_in_both_directions_end_with_one_live_request(fair: Fair) -> None:
    buyer, supplier = fair.company("buyer"), fair.company("supplier")

    def attempt(i: int) -> int:
        sender, receiver = (buyer, supplier) if i % 2 == 0 else (supplier, buyer)
        return int(fair.send(sender, receiver).status_code)

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = Counter(pool.map(attempt, range(8)))

    assert statuses[201] == 2 and statuses[409] == 6, statuses  # one created, one approving it
    listed = ok(
        fair.world.staff.api.get(
            f"/events/{fair.event_id}/meeting-requests",
            params={"from_registration_id": buyer.registration_id},
        )
    )["items"]
    listed += ok(
        fair.world.staff.api.get(
            f"/events/{fair.event_id}/meeting-requests",
            params={"from_registration_id": supplier.registration_id},
        )
    )["items"]
    assert [(r["state"], r["mutual"]) for r in listed] == [("approved", True)]


def test_staff_send_and_answer_on_behalf_audited(fair: Fair) -> None:
    buyer, supplier = fair.company("buyer"), fair.company("supplier")
    staff, organizer = fair.world.staff, fair.world.organizer
    path = f"/events/{fair.event_id}/meeting-requests"
    missing = problem(
        staff.api.post(path, json={"to_registration_id": supplier.registration_id}), 422, "validation"
    )
    assert [e["field"] for e in missing["errors"]] == ["on_behalf_of_registration_id"]
    posing = {
        "to_registration_id": supplier.registration_id,
        "on_behalf_of_registration_id": buyer.registration_id,
    }
    problem(buyer.api.post(path, json=posing), 403, "forbidden")

    body = {**posing, "on_behalf_of_participant_id": buyer.participant_ids[1], "priority": 2}
    sent = ok(staff.api.post(path, json=body), 201)
    answer = {
        "decision": "refuse",
        "reason": "Agenda complet",
        "on_behalf_of_participant_id": supplier.participant_ids[0],
    }
    refused = ok(organizer.api.post(f"/meeting-requests/{sent['request_id']}/answer", json=answer))
    assert refused["state"] == "refused"

    (view,) = ok(staff.api.get(path, params={"from_registration_id": buyer.registration_id}))["items"]
    assert view["sent_by"] == {"sub": staff.sub, "role": "staff", "participant_id": buyer.participant_ids[1]}
    assert view["answered_by"]["role"] == "organizer" and view["refusal_reason"] == "Agenda complet"
    trail = ok(fair.world.dpo.api.get("/audit", params={"subject_id": buyer.registration_id}))["items"]
    actions = {(r["action"], r["actor_id"]) for r in trail}
    assert ("meeting_request.send_on_behalf", staff.sub) in actions
    assert ("meeting_request.answer_on_behalf", organizer.sub) in actions
    assert ("meeting_request.list", staff.sub) in actions


def test_exports_csv_with_bom_and_semicolons_and_xlsx(fair: Fair) -> None:
    buyer, supplier = fair.company("buyer"), fair.company("supplier")
    sent = ok(fair.send(buyer, supplier, message="=SUM(A1)", priority=2), 201)
    ok(supplier.api.post(f"/meeting-requests/{sent['request_id']}/answer", json={"decision": "approve"}))
    path = f"/events/{fair.event_id}/meeting-requests"
    staff = fair.world.staff.api
    filters = {"from_registration_id": buyer.registration_id}

    response = staff.get(path, params={**filters, "separator": ";", "locale": "fr"}, headers={"Accept": CSV})
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == CSV
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Demande", "Société demandeuse"]
    assert len(rows) == 2 and rows[1][0] == sent["request_id"]
    assert "acceptée" in rows[1] and "'=SUM(A1)" in rows[1] and "20" in rows[1]

    xlsx = staff.get(path, params=filters, headers={"Accept": XLSX})
    assert xlsx.status_code == 200 and xlsx.headers["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Request" and values[1][0] == sent["request_id"]

    problem(staff.get(path, headers={"Accept": "application/xml"}), 406, "not-acceptable")
    assert ok(staff.get(path, params=filters, headers={"Accept": "*/*"}))["items"][0]["weight"] == 20
    trail = ok(fair.world.dpo.api.get("/audit", params={"actor_id": fair.world.staff.sub}))["items"]
    assert any(r["action"] == "meeting_request.export" for r in trail)


def test_boost_raises_the_weight_of_the_pair(fair: Fair) -> None:
    buyer, supplier = fair.company("buyer"), fair.company("supplier")
    sent = ok(fair.send(buyer, supplier, priority=2), 201)
    ok(supplier.api.post(f"/meeting-requests/{sent['request_id']}/answer", json={"decision": "approve"}))
    organizer = fair.world.organizer.api
    boost = f"/events/{fair.event_id}/pairs/{supplier.registration_id}/{buyer.registration_id}/boost"
    assert ok(organizer.put(boost, json={"boost": 15}))["boost"] == 15
    listed = ok(buyer.api.get("/me/meeting-requests", params={"direction": "sent"}))["items"]
    assert [r["weight"] for r in listed] == [35]
    problem(organizer.put(boost, json={"boost": 31}), 422, "validation")
    elsewhere = make_event(fair.world.organizer)
    stranger = f"/events/{elsewhere}/pairs/{supplier.registration_id}/{buyer.registration_id}/boost"
    problem(organizer.put(stranger, json={"boost": 5}), 404, "not-found")
    problem(fair.world.staff.api.put(boost, json={"boost": 5}), 403, "forbidden")


def test_roles_and_tenants(fair: Fair, user_factory: Any, api: Any) -> None:
    buyer, supplier = fair.company("buyer"), fair.company("supplier")
    sent = ok(fair.send(buyer, supplier), 201)
    other = tenant(user_factory, "mreq-other")
    problem(other.staff.api.get(f"/events/{fair.event_id}/meeting-requests"), 404, "not-found")
    answer = {"decision": "approve"}
    problem(
        other.staff.api.post(f"/meeting-requests/{sent['request_id']}/answer", json=answer), 404, "not-found"
    )
    stranger = user_factory("participant", other.tenant_id)
    problem(stranger.api.post(f"/meeting-requests/{sent['request_id']}/cancel"), 404, "not-found")
    problem(buyer.api.get(f"/events/{fair.event_id}/meeting-requests"), 403, "forbidden")
    problem(fair.world.staff.api.get("/me/meeting-requests", params={"direction": "sent"}), 403, "forbidden")
    problem(
        fair.world.dpo.api.post(f"/meeting-requests/{sent['request_id']}/answer", json=answer),
        403,
        "forbidden",
    )
    assert api.get("/me/meeting-requests", params={"direction": "sent"}).status_code == 401
    # A stranger to the pair cannot answer it either.
    problem(
        fair.company("supplier").api.post(f"/meeting-requests/{sent['request_id']}/answer", json=answer),
        404,
        "not-found",
    )


def test_each_change_is_announced_with_ids_only(fair: Fair, domain_events: Any) -> None:
    buyer, supplier, other = fair.company("buyer"), fair.company("supplier"), fair.company("supplier")
    first = ok(fair.send(buyer, supplier), 201)
    ok(supplier.api.post(f"/meeting-requests/{first['request_id']}/answer", json={"decision": "refuse"}))
    second = ok(fair.send(buyer, other), 201)
    ok(buyer.api.post(f"/meeting-requests/{second['request_id']}/cancel"))
    wanted = {first["request_id"], second["request_id"]}

    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        events = [e for e in domain_events.seen() if e["detail"].get("request_id") in wanted]
        if len(events) >= 4:
            break
        time.sleep(0.1)

    assert sorted((e["detail"]["request_id"] == first["request_id"], e["detail-type"]) for e in events) == [
        (False, "meeting_request.cancelled"),
        (False, "meeting_request.sent"),
        (True, "meeting_request.refused"),
        (True, "meeting_request.sent"),
    ]
    refused = next(e for e in events if e["detail-type"] == "meeting_request.refused")
    assert refused["source"] == "salon.matchmaking"
    assert refused["detail"] == {
        "tenant_id": fair.world.tenant_id,
        "dedupe_id": refused["detail"]["dedupe_id"],
        "event_id": fair.event_id,
        "request_id": first["request_id"],
        "from_registration_id": buyer.registration_id,
        "to_registration_id": supplier.registration_id,
        "actor_id": refused["detail"]["actor_id"],
        "participant_ids": [],
    }
