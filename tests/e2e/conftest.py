"""Fixtures of the end-to-end tests of scheduling: an event whose buyer (locale fr) has approved meeting
requests to two suppliers (locale en), everyone signed in over HTTP."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from salon.kernel.dynamo import Table
from salon.registration.adapters.submissions_repo import SubmissionsRepository
from scheduling_world import NOW


@pytest.fixture
def fair(cloud: Any, user_factory: Any) -> dict[str, Any]:
    """A buyer (locale fr) with approved requests to two suppliers; everyone logged in over HTTP."""
    tenant_id = f"tenant-{uuid.uuid4().hex[:8]}"
    organizer = user_factory("organizer", tenant_id)
    created = organizer.api.post(
        "/events",
        json={
            "name": {"fr": "Salon"},
            "starts_at": (NOW + timedelta(days=30)).isoformat(),
            "ends_at": (NOW + timedelta(days=31)).isoformat(),
            "time_zone": "Europe/Paris",
            "key_dates": {
                "catalogue_opens_at": (NOW - timedelta(days=1)).isoformat(),
                "requests_deadline_at": (NOW + timedelta(days=10)).isoformat(),
            },
        },
    )
    assert created.status_code == 201, created.text
    event_id = created.json()["event_id"]
    for code, other in (("buyer", "supplier"), ("supplier", "buyer")):
        made = organizer.api.post(
            f"/events/{event_id}/types",
            json={
                "code": code,
                "labels": {"fr": code, "en": code},
                "can_see": [other],
                "can_request": [other],
            },
        )
        assert made.status_code == 201, made.text
    regs = SubmissionsRepository(Table(cloud.resources.table_name))

    def company(type_: str, name: str, locale: str) -> dict[str, Any]:
        rid, pid = f"reg_{uuid.uuid4().hex}", f"par_{uuid.uuid4().hex}"
        person = {
            "participant_id": pid,
            "registration_id": rid,
            "event_id": event_id,
            "position": 0,
            "email": f"{pid}@example.test",
            "phone": "+33612345678",
            "account_status": "active",
            "first_name": f"First {name}",
            "last_name": f"Last {name}",
            "job_title": f"Head of {name}",
            "locale": locale,
        }
        regs.create(
            tenant_id,
            {
                "registration_id": rid,
                "event_id": event_id,
                "type": type_,
                "state": "validated",
                "company_name": name,
                "participant_ids": [pid],
                "created_at": NOW.isoformat(),
            },
            [person],
        )
        user = user_factory("participant", tenant_id)
        regs.link_user(tenant_id, user.sub, person)
        return {"registration_id": rid, "participant_id": pid, "user": user}

    buyer = company("buyer", "Acheteur", "fr")
    suppliers = [company("supplier", f"Supplier {n}", "en") for n in (1, 2)]
    for supplier in suppliers:
        sent = buyer["user"].api.post(
            f"/events/{event_id}/meeting-requests", json={"to_registration_id": supplier["registration_id"]}
        )
        assert sent.status_code == 201, sent.text
        answered = supplier["user"].api.post(
            f"/meeting-requests/{sent.json()['request_id']}/answer", json={"decision": "approve"}
        )
        assert answered.status_code == 200, answered.text
    return {
        "tenant_id": tenant_id,
        "event_id": event_id,
        "organizer": organizer,
        "buyer": buyer,
        "suppliers": suppliers,
        "table": Table(cloud.resources.table_name),
        "cloud": cloud,
    }
