"""Organiser mailings over HTTP: bad templates, unknown placeholders and empty audiences are refused
before anything is sent; a send reaches every recipient once (a second send adds nothing); the signed
one-click unsubscribe stops mailings but not the messages about one's own registration."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from typing import Any
from urllib.parse import urlparse

import pytest
from salon.kernel.dynamo import Table
from salon.registration.adapters.submissions_repo import SubmissionsRepository
from salon.scheduling.adapters.agenda_store import AgendaStore
from salon.scheduling.domain.agenda import Entry
from test_register_support import ok

pytestmark = pytest.mark.e2e


def wait_for(check: Callable[[], Any], timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (found := check()):
        assert time.monotonic() < deadline, "not there in time"
        time.sleep(0.2)
    return found


@pytest.fixture
def fair(cloud: Any, user_factory: Any) -> dict[str, Any]:
    tenant_id, now = f"mail-{uuid.uuid4().hex[:8]}", datetime.now(UTC)
    organizer = user_factory("organizer", tenant_id)
    body = {
        "name": {"fr": "Rencontres", "en": "Meetings"},
        "starts_at": (now + timedelta(days=20)).isoformat(),
        "ends_at": (now + timedelta(days=21)).isoformat(),
        "time_zone": "Europe/Paris",
    }
    event_id = ok(organizer.api.post("/events", json=body), 201)["event_id"]
    regs = SubmissionsRepository(Table(cloud.resources.table_name))
    people = []
    for n, (type_, locale) in enumerate((("buyer", "fr"), ("buyer", "en"), ("supplier", "fr"))):
        rid, pid = f"reg_{uuid.uuid4().hex}", f"par_{uuid.uuid4().hex}"
        person = {
            "participant_id": pid,
            "registration_id": rid,
            "event_id": event_id,
            "position": 0,
            "email": f"{pid}@example.test",
            "account_status": "active",
            "first_name": f"Prénom{n}",
            "last_name": "Nom",
            "locale": locale,
        }
        sheet = {
            "registration_id": rid,
            "event_id": event_id,
            "type": type_,
            "state": "validated",
            "company_name": f"Société {n}",
            "participant_ids": [pid],
            "created_at": now.isoformat(),
            "completeness": 100 if n == 0 else 60,
        }
        regs.create(tenant_id, sheet, [person])
        people.append(person)
    return {"organizer": organizer, "event_id": event_id, "people": people, "cloud": cloud}


MAILING = {
    "subject": {
        "fr": "{{ event_name }} : infos pour {{ company }}",
        "en": "{{ event_name }}: news for {{ company }}",
    },
    "body": {
        "fr": "Bonjour {{ first_name }},\n\nVotre agenda : {{ agenda_link }}",
        "en": "Hello {{ first_name }},\n\nYour agenda: {{ agenda_link }}",
    },
    "audience": {"types": ["buyer"]},
}


def mailings_to(cloud: Any, address: str) -> list[Any]:
    return [c for c in cloud.captured() if c.to == address and c.kind == "mailing"]


def test_bad_texts_and_empty_audiences_are_refused_before_anything_is_sent(fair: dict[str, Any]) -> None:
    api, path = fair["organizer"].api, f"/events/{fair['event_id']}/mailings"
    unknown = api.post(path, json={**MAILING, "body": {**MAILING["body"], "en": "Hi {{ iban }}"}})
    broken = api.post(path, json={**MAILING, "subject": {**MAILING["subject"], "fr": "{% if %}"}})
    empty = api.post(path, json={**MAILING, "audience": {"types": ["sponsor"]}})

    assert unknown.status_code == 422 and unknown.headers["Content-Type"].startswith(
        "application/problem+json"
    )
    assert [e["field"] for e in unknown.json()["errors"]] == ["body.en"]
    assert broken.status_code == 422 and [e["field"] for e in broken.json()["errors"]] == ["subject.fr"]
    assert empty.status_code == 422 and [e["field"] for e in empty.json()["errors"]] == ["audience"]


def test_the_audience_by_completeness_and_meetings_yet(fair: dict[str, Any]) -> None:
    cloud, event_id = fair["cloud"], fair["event_id"]
    api, path = fair["organizer"].api, f"/events/{event_id}/mailings"
    buyer_en = fair["people"][1]
    meeting = Entry("mtg_1", "2030-01-01T09:00:00+00:00", "2030-01-01T09:30:00+00:00", "T1")
    tenant_id = fair["organizer"].tenant_id
    published = AgendaStore.agenda_put(
        tenant_id, event_id, "run_1", buyer_en["participant_id"], 1, [meeting], "2030-01-01T00:00:00+00:00"
    )
    Table(cloud.resources.table_name).put(published)

    def audience(**filters: Any) -> Any:
        return api.post(path, json={**MAILING, "audience": {"types": ["buyer"], **filters}})

    assert ok(audience(completeness="complete"), 201)["audience"] == 1  # buyer_fr: 100 %
    assert ok(audience(completeness="incomplete"), 201)["audience"] == 1  # buyer_en: 60 %
    assert ok(audience(without_meeting=True), 201)["audience"] == 1  # buyer_en has a meeting
    nobody = audience(completeness="incomplete", without_meeting=True)
    assert nobody.status_code == 422 and [e["field"] for e in nobody.json()["errors"]] == ["audience"]
    unknown = audience(completeness="half")
    assert unknown.status_code == 422
    assert [e["field"] for e in unknown.json()["errors"]] == ["audience.completeness"]


def test_a_mailing_reaches_each_recipient_once_and_unsubscribe_stops_the_next(
    fair: dict[str, Any], api: Any
) -> None:
    cloud, organizer = fair["cloud"], fair["organizer"].api
    buyer_fr, buyer_en, supplier = fair["people"]
    created = ok(organizer.post(f"/events/{fair['event_id']}/mailings", json=MAILING), 201)
    assert created["audience"] == 2
    mid = created["mailing_id"]
    preview = ok(
        organizer.post(f"/mailings/{mid}/preview", json={"participant_id": buyer_en["participant_id"]})
    )
    assert preview["subject"] == "Meetings: news for Société 1" and "Hello Prénom1" in preview["text"]

    tested = ok(organizer.post(f"/mailings/{mid}/test", json={"participant_id": buyer_fr["participant_id"]}))
    assert tested == {"participant_id": buyer_fr["participant_id"], "sent_to": "organizer"}
    [test_mail] = wait_for(lambda: [c for c in cloud.captured() if c.to == fair["organizer"].email])
    subject = message_from_bytes(test_mail.path.read_bytes(), policy=policy.default)["Subject"]
    assert test_mail.kind == "mailing_test" and subject == "[TEST] Rencontres : infos pour Société 0"
    assert mailings_to(cloud, buyer_fr["email"]) == []  # a test reaches the organiser only

    assert organizer.post(f"/mailings/{mid}/send").status_code == 202
    wait_for(lambda: ok(organizer.get(f"/mailings/{mid}"))["sent"] == 2)
    assert ok(organizer.post(f"/mailings/{mid}/send"), 202)["queued"] == 2  # sending again adds nothing
    time.sleep(1.5)
    [fr_mail] = mailings_to(cloud, buyer_fr["email"])
    assert len(mailings_to(cloud, buyer_en["email"])) == 1 and mailings_to(cloud, supplier["email"]) == []
    progress = ok(organizer.get(f"/mailings/{mid}"))
    assert {k: progress[k] for k in ("status", "recipients", "queued", "sent", "suppressed")} == {
        "status": "sent",
        "recipients": 2,
        "queued": 2,
        "sent": 2,
        "suppressed": 0,
    }

    mail = message_from_bytes(fr_mail.path.read_bytes(), policy=policy.default)
    assert mail["Subject"] == "Rencontres : infos pour Société 0"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = str(mail["List-Unsubscribe"]).strip("<>")
    assert link in mail.get_body(("plain",)).get_content()
    token = urlparse(link).path.rsplit("/", 1)[-1]
    assert api.post(f"/unsubscribe/{token[:-2]}xx").status_code == 404  # a forged signature
    assert ok(api.post(f"/unsubscribe/{token}")) == {"unsubscribed": True}

    second = ok(organizer.post(f"/events/{fair['event_id']}/mailings", json=MAILING), 201)["mailing_id"]
    organizer.post(f"/mailings/{second}/send")
    wait_for(
        lambda: (
            ok(organizer.get(f"/mailings/{second}"))["sent"]
            + ok(organizer.get(f"/mailings/{second}"))["suppressed"]
            == 2
        )
    )
    assert ok(organizer.get(f"/mailings/{second}"))["suppressed"] == 1
    assert len(mailings_to(cloud, buyer_fr["email"])) == 1
    log = ok(
        organizer.get(
            f"/events/{fair['event_id']}/deliveries", params={"participant_id": buyer_fr["participant_id"]}
        )
    )
    assert log["email_suppressed"] == "marketing"
    assert [(d["kind"], d["status"]) for d in log["deliveries"]] == [
        ("mailing", "sent"),
        ("mailing", "suppressed"),
    ]
