"""The re-qualification passes against the local cloud: the function a schedule starts (invoked as the
template's schedule would, with a simulated clock) writes one request and one outbox item per contact
due; the relay and the notify consumer turn each into an e-mail captured in the outbox, with a link
that confirms; a second run in the same half-year asks nobody again; the daily pass flags who let the
delay pass, and confirming clears the flag."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from localcloud.requalify import run_pass
from salon.dsar.adapters.context import StoreContext
from salon.dsar.adapters.coverage import ITEM_HANDLERS
from salon.dsar.domain.person import Participation, Person
from salon.kernel import keys
from salon.kernel.caller import Caller
from salon.kernel.dynamo import Table
from salon.kernel.outbox import dedupe_id
from salon.kernel.values import iso
from salon.registration.adapters.events_repo import EventsRepository
from salon.registration.adapters.submissions_repo import SubmissionsRepository
from salon.registration.domain.events import Event, EventCreate
from salon.requalification.services import confirm

pytestmark = pytest.mark.integration

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=1)


def wait_for(check: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the e-mail did not arrive in time"
        time.sleep(0.2)


@pytest.fixture
def world(cloud: Any) -> dict[str, Any]:
    table = Table(cloud.resources.table_name)
    tenant_id = f"rq-{uuid.uuid4().hex[:8]}"
    body = EventCreate.model_validate(
        {
            "name": {"fr": "Rencontres Requal", "en": "Requal Meetings"},
            "time_zone": "Europe/Paris",
            "starts_at": NOW - timedelta(days=200),
            "ends_at": NOW - timedelta(days=199),
        }
    )
    event = Event(
        event_id=f"evt_{uuid.uuid4().hex}",
        tenant_id=tenant_id,
        created_at=NOW,
        updated_at=NOW,
        **body.model_dump(),
    )
    EventsRepository(table).create_event(event)
    rid = f"reg_{uuid.uuid4().hex}"
    stale, fresh, gone = (f"par_{uuid.uuid4().hex}" for _ in range(3))
    verified = {
        stale: NOW - timedelta(days=200),
        fresh: NOW - timedelta(days=20),
        gone: NOW - timedelta(days=400),
    }
    people = [
        {
            "participant_id": pid,
            "registration_id": rid,
            "event_id": event.event_id,
            "position": i,
            "first_name": "Ada",
            "last_name": "L",
            "email": f"ada-{uuid.uuid4().hex[:8]}@company.example",
            "locale": "en" if i else "fr",
            "account_status": "deactivated" if pid == gone else "active",
            "last_verified_at": iso(verified[pid]),
            "created_at": iso(verified[pid]),
        }
        for i, pid in enumerate((stale, fresh, gone))
    ]
    registration = {
        "registration_id": rid,
        "event_id": event.event_id,
        "type": "buyer",
        "state": "validated",
        "company_name": "Cartons Dupont",
        "locale": "fr",
        "participant_ids": [stale, fresh, gone],
        "created_at": iso(NOW),
    }
    SubmissionsRepository(table).create(tenant_id, registration, people)
    return {
        "cloud": cloud,
        "table": table,
        "tenant_id": tenant_id,
        "rid": rid,
        "stale": stale,
        "people": people,
    }


def test_the_due_contact_gets_one_email_and_is_flagged_after_the_delay_until_confirming(
    world: dict[str, Any],
) -> None:
    cloud, table, tenant_id, rid, pid = (world[k] for k in ("cloud", "table", "tenant_id", "rid", "stale"))
    address = world["people"][0]["email"]
    started = time.time()

    first = run_pass(cloud, "request", iso(NOW), tenant_id)
    again = run_pass(cloud, "request", iso(NOW + timedelta(days=1)), tenant_id)

    assert (first["requested"], again["requested"], again["already_requested"]) == (1, 0, 1)
    request = table.get(keys.registration_pk(tenant_id, rid), keys.requalification_sk(pid))
    assert request is not None and request["status"] == "pending"
    assert request["due_at"] == iso(NOW + timedelta(days=30))
    outbox = table.get(
        keys.outbox_pk(tenant_id, dedupe_id(tenant_id, pid, f"requalification:{first['round']}")),
        keys.OUTBOX_SK,
    )
    assert outbox is not None and outbox["detail_type"] == "contact.requalification_requested"
    assert outbox["detail"]["participant_ids"] == [pid]

    def mails() -> list[Any]:
        return [c for c in cloud.captured(started) if c.to == address]

    wait_for(lambda: len(mails()) == 1)
    time.sleep(1.0)
    [mail] = mails()
    assert mail.kind == "requalification_requested"
    message = message_from_bytes(mail.path.read_bytes(), policy=policy.default)
    assert "Rencontres Requal" in str(message["Subject"])
    text = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    [token] = re.findall(r"/requalify/([A-Za-z0-9_-]{43})", text)
    assert (
        f"/requalify/{token}" in html
        and (NOW + timedelta(days=30)).astimezone(PARIS).strftime("%d/%m/%Y") in text
    )
    assert all(c.to != p["email"] for c in cloud.captured(started) for p in world["people"][1:])

    assert run_pass(cloud, "flag", iso(NOW + timedelta(days=29)), tenant_id)["flagged"] == 0
    assert run_pass(cloud, "flag", iso(NOW + timedelta(days=31)), tenant_id)["flagged"] == 1
    assert run_pass(cloud, "flag", iso(NOW + timedelta(days=32)), tenant_id)["flagged"] == 0
    person = table.get(keys.registration_pk(tenant_id, rid), keys.participant_sk(pid))
    sheet = table.get(keys.registration_pk(tenant_id, rid), keys.REGISTRATION_SK)
    assert person is not None and person["requalification_overdue_at"] == iso(NOW + timedelta(days=31))
    assert sheet is not None and sheet["requalification_overdue"] == 1

    confirmed = confirm.confirm_link(Caller(None, "req-1"), token)  # the link works until the due date

    assert confirmed.participant_ids == [pid]
    person = table.get(keys.registration_pk(tenant_id, rid), keys.participant_sk(pid))
    sheet = table.get(keys.registration_pk(tenant_id, rid), keys.REGISTRATION_SK)
    assert person is not None and "requalification_overdue_at" not in person
    assert person["last_verified_at"] == confirmed.last_verified_at
    assert sheet is not None and sheet["requalification_overdue"] == 0
    assert confirm.confirm_link(Caller(None, "req-2"), token).participant_ids == [pid]  # twice is fine


def test_a_participant_stored_before_the_index_is_enrolled_from_its_creation_then_asked(cloud: Any) -> None:
    table = Table(cloud.resources.table_name)
    tenant_id, rid, pid = f"rq-{uuid.uuid4().hex[:8]}", f"reg_{uuid.uuid4().hex}", f"par_{uuid.uuid4().hex}"
    created = iso(NOW - timedelta(days=300))
    legacy = {  # no last_verified_at, hence no index entry: as written before the index
        "participant_id": pid,
        "registration_id": rid,
        "event_id": f"evt_{uuid.uuid4().hex}",
        "position": 0,
        "first_name": "Ada",
        "email": f"ada-{uuid.uuid4().hex[:8]}@company.example",
        "locale": "fr",
        "created_at": created,
    }
    sheet = {
        "registration_id": rid,
        "event_id": legacy["event_id"],
        "state": "validated",
        "created_at": created,
    }
    SubmissionsRepository(table).create(tenant_id, sheet, [legacy])
    assert run_pass(cloud, "request", iso(NOW), tenant_id)["requested"] == 0  # not in the index yet

    assert run_pass(cloud, "enrol", iso(NOW), tenant_id)["enrolled"] == 1
    assert run_pass(cloud, "enrol", iso(NOW), tenant_id)["enrolled"] == 0

    person = table.get(keys.registration_pk(tenant_id, rid), keys.participant_sk(pid))
    assert person is not None and person["GSI1SK"].startswith(f"{created}#{tenant_id}#")
    assert run_pass(cloud, "request", iso(NOW), tenant_id)["requested"] == 1


def test_erasing_a_flagged_person_removes_their_request_and_their_flag_from_the_company(
    world: dict[str, Any],
) -> None:
    cloud, table, tenant_id, rid, pid = (world[k] for k in ("cloud", "table", "tenant_id", "rid", "stale"))
    run_pass(cloud, "request", iso(NOW), tenant_id)
    assert run_pass(cloud, "flag", iso(NOW + timedelta(days=31)), tenant_id)["flagged"] == 1
    event_id = world["people"][0]["event_id"]
    person = Person(tenant_id, "unused", None, (Participation(pid, rid, event_id),))
    context = StoreContext(table, Table(cloud.resources.audit_table_name), "", lambda: None)  # type: ignore[arg-type, return-value]

    for item_type in ("requalification", "registration"):
        handler = ITEM_HANDLERS[item_type]
        found = handler.find(context, person)
        assert found, item_type
        handler.erase(context, person, found)

    assert ITEM_HANDLERS["requalification"].find(context, person) == []
    sheet = table.get(keys.registration_pk(tenant_id, rid), keys.REGISTRATION_SK)
    assert sheet is not None and pid not in sheet["participant_ids"] and sheet["requalification_overdue"] == 0
