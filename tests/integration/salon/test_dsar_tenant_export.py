"""A tenant's export against the local cloud: the tenant's events found through its index, every
event's items archived in the DSAR bucket, another tenant's left out."""

from __future__ import annotations

import io
import json
import os
import uuid
import zipfile
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from salon.dsar.adapters.tenant_exports import TenantExports
from salon.dsar.services import tenant_export_run
from salon.kernel import aws
from salon.kernel.dynamo import Table
from salon.registration.adapters.events_repo import EventsRepository
from salon.registration.adapters.submissions_repo import SubmissionsRepository
from salon.registration.domain.events import Event, EventCreate

pytestmark = pytest.mark.integration
NOW = datetime.now(UTC)


def _tenant_with_an_event(table: Table, companies: int) -> tuple[str, str]:
    tenant_id = f"tenant-{uuid.uuid4().hex[:8]}"
    body = EventCreate.model_validate(
        {
            "name": {"fr": "Salon"},
            "starts_at": NOW + timedelta(days=30),
            "ends_at": NOW + timedelta(days=31),
            "time_zone": "Europe/Paris",
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
    for n in range(companies):
        rid, pid = f"reg_{uuid.uuid4().hex}", f"par_{uuid.uuid4().hex}"
        SubmissionsRepository(table).create(
            tenant_id,
            {
                "registration_id": rid,
                "event_id": event.event_id,
                "type": "buyer",
                "state": "validated",
                "company_name": f"Company {n}",
                "participant_ids": [pid],
                "created_at": NOW.isoformat(),
            },
            [
                {
                    "participant_id": pid,
                    "registration_id": rid,
                    "event_id": event.event_id,
                    "position": 0,
                    "email": f"{pid}@example.test",
                    "account_status": "active",
                }
            ],
        )
    return tenant_id, event.event_id


def test_the_export_archives_the_tenants_events_and_ends_the_record(cloud: Any) -> None:
    table = Table(cloud.resources.table_name)
    tenant_id, event_id = _tenant_with_an_event(table, companies=2)
    other_tenant, _ = _tenant_with_an_event(table, companies=1)
    exports = TenantExports(table)
    assert exports.event_ids(tenant_id) == [event_id]
    exports.create(tenant_id, "tex_1", "sub-organizer", NOW.isoformat())

    done = tenant_export_run.run(tenant_id, "tex_1")

    assert done["counts"]["registration"] == 2 and done["counts"]["event"] == 1
    record = exports.get(tenant_id, "tex_1")
    assert record is not None and record["status"] == "completed" and record["counts"] == done["counts"]
    body = aws.s3().get_object(Bucket=os.environ["DSAR_BUCKET"], Key=record["export_key"])["Body"].read()
    archive = zipfile.ZipFile(io.BytesIO(body))
    rows = json.loads(archive.read("registration.json"))
    assert {r["company_name"] for r in rows} == {"Company 0", "Company 1"}
    assert all(r["tenant_id"] != other_tenant for r in rows)
    assert exports.get(other_tenant, "tex_1") is None
