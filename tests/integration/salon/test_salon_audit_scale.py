"""Listing 100 registrations of 20 participants is audited in bytes linear in the subjects listed."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from localcloud.audit_scale import audit_bytes
from salon.kernel.caller import Caller
from salon.kernel.dynamo import Table
from salon.kernel.principal import Principal
from salon.kernel.values import Page
from salon.registration.adapters.events_repo import EventsRepository
from salon.registration.adapters.submissions_repo import SubmissionsRepository
from salon.registration.services.review import list_registrations
from test_salon_repositories import new_event

pytestmark = pytest.mark.integration

REGISTRATIONS, PARTICIPANTS = 100, 20
# Per subject listed: one index item (~330 bytes of keys, ids and time) and its id in the record.
BYTES_PER_SUBJECT = 512
BYTES_PER_RECORD = 1024


def seed_event(table: Table, tenant_id: str) -> str:
    event = new_event(EventsRepository(table), tenant_id)
    now = event.created_at
    repository = SubmissionsRepository(table)
    for n in range(REGISTRATIONS):
        rid = f"reg_{uuid.uuid4().hex}"
        people = [
            {
                "participant_id": f"par_{uuid.uuid4().hex}",
                "registration_id": rid,
                "event_id": event.event_id,
                "position": i,
                "first_name": f"Prénom{i}",
                "last_name": f"Nom{n}",
                "email": f"p{i}.{rid}@example.test",
                "account_status": "pending",
            }
            for i in range(PARTICIPANTS)
        ]
        sheet = {
            "registration_id": rid,
            "event_id": event.event_id,
            "type": "buyer",
            "state": "submitted",
            "company_name": f"Entreprise {n}",
            "participant_ids": [p["participant_id"] for p in people],
            "created_at": (now + timedelta(milliseconds=n)).isoformat(),
        }
        repository.create(tenant_id, sheet, people)
    return event.event_id


def test_listing_100_registrations_of_20_participants_writes_audit_bytes_linear_in_subjects(
    cloud: Any,
) -> None:
    tenant_id = f"tenant-scale-{uuid.uuid4().hex[:8]}"
    event_id = seed_event(Table(cloud.resources.table_name), tenant_id)
    caller = Caller(Principal("organizer-scale", tenant_id, frozenset({"organizer"})), "req-scale")
    audit_table = cloud.resources.audit_table_name
    written: dict[int, tuple[int, int, int]] = {}
    for limit in (25, 100):
        before = audit_bytes(audit_table, tenant_id)
        page = list_registrations(caller, event_id, state=None, type_=None, q=None, page=Page(limit=limit))
        after = audit_bytes(audit_table, tenant_id)
        assert len(page.items) == limit
        assert all(len(item.participants) == PARTICIPANTS for item in page.items)
        written[limit] = (after[0] - before[0], after[1] - before[1], after[2])

    for limit, (items, total, largest) in written.items():
        subjects = limit * (1 + PARTICIPANTS)
        assert items == 1 + subjects  # one record, one small index item per subject
        assert total <= BYTES_PER_RECORD + BYTES_PER_SUBJECT * subjects, (limit, total)
        assert largest < 400_000 // 4  # far from the item limit, and a transaction holds 100 small items
    # Linear: four times the page, about four times the bytes (the square would be sixteen).
    assert written[100][1] < 4.5 * written[25][1]
