"""SMS end to end: a participant verifies their mobile over HTTP (the code arrives by SMS), an agenda
change after the event's SMS activation produces one SMS, a STOP reply stops the next one, and the
organiser sees why (GET /events/{event_id}/deliveries)."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from salon.kernel.dynamo import Table
from salon.registration.adapters.submissions_repo import SubmissionsRepository
from test_register_support import ok

pytestmark = pytest.mark.e2e


def wait_for(check: Callable[[], Any], timeout: float = 45.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (found := check()):
        assert time.monotonic() < deadline, "not there in time"
        time.sleep(0.2)
    return found


@pytest.fixture
def attendee(cloud: Any, user_factory: Any) -> dict[str, Any]:
    """A validated participant (locale fr, signed in) of an event whose SMS are active."""
    tenant_id, now = f"sms-{uuid.uuid4().hex[:8]}", datetime.now(UTC)
    organizer = user_factory("organizer", tenant_id)
    body = {
        "name": {"fr": "Rencontres"},
        "starts_at": (now + timedelta(hours=2)).isoformat(),
        "ends_at": (now + timedelta(days=1)).isoformat(),
        "time_zone": "Europe/Paris",
        "key_dates": {"sms_activation_at": (now - timedelta(hours=1)).isoformat()},
    }
    event_id = ok(organizer.api.post("/events", json=body), 201)["event_id"]
    rid, pid = f"reg_{uuid.uuid4().hex}", f"par_{uuid.uuid4().hex}"
    person = {
        "participant_id": pid,
        "registration_id": rid,
        "event_id": event_id,
        "position": 0,
        "email": f"{pid}@example.test",
        "account_status": "active",
        "first_name": "Zoé",
        "last_name": "Martin",
        "locale": "fr",
    }
    regs = SubmissionsRepository(Table(cloud.resources.table_name))
    registration = {
        "registration_id": rid,
        "event_id": event_id,
        "type": "buyer",
        "state": "validated",
        "company_name": "Cartons Martin",
        "participant_ids": [pid],
        "created_at": now.isoformat(),
    }
    regs.create(tenant_id, registration, [person])
    user = user_factory("participant", tenant_id)
    regs.link_user(tenant_id, user.sub, person)
    number = f"+3361{uuid.uuid4().int % 10**7:07d}"
    return {"tenant_id": tenant_id, "event_id": event_id, "pid": pid, "user": user, "number": number}


def sms_to(cloud: Any, number: str, kind: str) -> list[dict[str, Any]]:
    return [
        json.loads(c.path.read_text(encoding="utf-8"))
        for c in cloud.captured()
        if c.channel == "sms" and c.to == number and c.kind == kind
    ]


def announce_move(cloud: Any, attendee: dict[str, Any], minute: int) -> None:
    """What publishing a run announces (the relay's PutEvents): the participant's meeting moved."""
    detail = {
        "tenant_id": attendee["tenant_id"],
        "dedupe_id": uuid.uuid4().hex,
        "event_id": attendee["event_id"],
        "participant_ids": [attendee["pid"]],
        "run_id": f"run_{uuid.uuid4().hex[:8]}",
        "version": 2,
        "changes": {
            "added": [],
            "moved": [
                {
                    "meeting_id": "mtg_1",
                    "from_starts_at": "2027-03-12T09:00:00+00:00",
                    "from_table": "T1",
                    "to_starts_at": f"2027-03-12T10:{minute:02d}:00+00:00",
                    "to_ends_at": "2027-03-12T11:00:00+00:00",
                    "to_table": "T7",
                }
            ],
            "cancelled": [],
        },
    }
    entry = {
        "Source": "salon.scheduling",
        "DetailType": "agenda.changed",
        "Detail": json.dumps(detail),
        "EventBusName": cloud.resources.event_bus_name,
    }
    assert cloud.client("events").put_events(Entries=[entry])["FailedEntryCount"] == 0


def deliveries(organizer_api: Any, attendee: dict[str, Any]) -> dict[str, Any]:
    return ok(
        organizer_api.get(
            f"/events/{attendee['event_id']}/deliveries", params={"participant_id": attendee["pid"]}
        )
    )


def test_verify_then_one_sms_per_change_and_stop_stops_the_next(
    cloud: Any, attendee: dict[str, Any], user_factory: Any
) -> None:
    api, number = attendee["user"].api, attendee["number"]
    bad = api.post("/me/phone", json={"number": "01 23 45 67 89"})  # a landline
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "number"
    started = ok(api.post("/me/phone", json={"number": number}), 202)
    assert started == {"participant_id": attendee["pid"], "number": number, "verified": False}
    [code_sms] = wait_for(lambda: sms_to(cloud, number, "phone_code"))
    code = code_sms["message"].rsplit(" ", 1)[-1].rstrip(".")
    wrong = "000000" if code != "000000" else "111111"
    assert api.post("/me/phone/verify", json={"code": wrong}).status_code == 422
    assert ok(api.post("/me/phone/verify", json={"code": code}))["verified"] is True

    announce_move(cloud, attendee, 15)

    [moved] = wait_for(lambda: sms_to(cloud, number, "meeting_moved"))
    assert "11:15" in moved["message"] and "T7" in moved["message"]  # Paris time, the new table

    sns = cloud.client("sns")
    topic = cloud.resources.physical_ids["SmsInboundTopic"]
    sns.publish(TopicArn=topic, Message=json.dumps({"originationNumber": number, "messageBody": "Stop"}))
    organizer = user_factory("organizer", attendee["tenant_id"])
    wait_for(lambda: deliveries(organizer.api, attendee)["sms_suppressed"] == "all")

    announce_move(cloud, attendee, 30)

    wait_for(
        lambda: (
            len([d for d in deliveries(organizer.api, attendee)["deliveries"] if d["channel"] == "sms"]) == 2
        )
    )
    log = deliveries(organizer.api, attendee)["deliveries"]
    assert [(d["kind"], d["status"]) for d in log if d["channel"] == "sms"] == [
        ("meeting_moved", "sent"),
        ("meeting_moved", "suppressed"),
    ]
    assert len(sms_to(cloud, number, "meeting_moved")) == 1
    assert api.post("/me/phone", json={"number": number}).status_code == 409  # no code to a STOPped number
