"""A tenant's closure steps against the local cloud: the inventory counts the tenant in every store,
the erase steps delete it, and the verification fails loudly on a residue (an item written while the
closure ran), which the fail step records; another tenant's items are untouched throughout."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from salon.dsar.adapters.closure_records import ClosureRecords
from salon.dsar.adapters.closure_stores import TableItems, Tenant, context, searched_stores
from salon.dsar.adapters.tenant_exports import TenantExports
from salon.dsar.domain.closure import ResidueFound
from salon.dsar.services import closure_erase, closure_fail, closure_steps
from salon.kernel.dynamo import Table
from salon.kernel.errors import Conflict
from salon.kernel.values import iso
from salon.registration.adapters.submissions_repo import SubmissionsRepository
from stored_event import event_in_a_new_tenant

pytestmark = pytest.mark.integration
NOW = datetime.now(UTC)


def _tenant_with_an_event(table: Table, companies: int) -> str:
    event = event_in_a_new_tenant(table)
    tenant_id = event.tenant_id
    for n in range(companies):
        _company(table, tenant_id, event.event_id, n)
    return tenant_id


def _company(table: Table, tenant_id: str, event_id: str, n: int) -> None:
    rid, pid = f"reg_{uuid.uuid4().hex}", f"par_{uuid.uuid4().hex}"
    SubmissionsRepository(table).create(
        tenant_id,
        {
            "registration_id": rid,
            "event_id": event_id,
            "type": "buyer",
            "state": "submitted",
            "company_name": f"Company {n}",
            "participant_ids": [pid],
            "created_at": NOW.isoformat(),
        },
        [
            {
                "participant_id": pid,
                "registration_id": rid,
                "event_id": event_id,
                "position": 0,
                "email": f"{pid}@example.test",
                "account_status": "active",
            }
        ],
    )


def _items(table: Table, tenant_id: str) -> int:
    return sum(1 for _ in TableItems.keys(context(), "SalonTable", Tenant(tenant_id, {})))


def _closure(table: Table, tenant_id: str) -> str:
    closure_id = f"tcl_{uuid.uuid4().hex}"
    record: dict[str, Any] = {
        "closure_id": closure_id,
        "tenant_id": tenant_id,
        "status": "running",
        "requested_by": "sub-organizer",
        "requested_at": iso(NOW),
        "due_at": iso(NOW + timedelta(days=10)),
        "request_id": "req-1",
        "without_export": True,
        "steps": {step: "pending" for step in ("inventory", "erase", "verify", "certify")},
    }
    ClosureRecords(table).create(record, [])
    return closure_id


def test_a_residue_fails_the_verification_loudly_and_the_failure_is_recorded(cloud: Any) -> None:
    table = Table(cloud.resources.table_name)
    tenant_id, other = _tenant_with_an_event(table, companies=2), _tenant_with_an_event(table, companies=1)
    others_before = _items(table, other)
    closure_id = _closure(table, tenant_id)

    found = closure_steps.inventory(tenant_id, closure_id)
    for store in found["stores"]:
        closure_erase.erase(tenant_id, closure_id, store)
    assert _items(table, tenant_id) == 0
    event_id = next(iter(ClosureRecords(table).require(closure_id)["events"]))
    _company(table, tenant_id, event_id, 9)  # a registration arrives while the closure runs
    with pytest.raises(ResidueFound, match="SalonTable"):
        closure_steps.check(tenant_id, closure_id)
    closure_fail.fail(tenant_id, closure_id, "ResidueFound", "SalonTable: 3")

    record = ClosureRecords(table).require(closure_id)
    counts = {s["target"]: s for s in record["stores"]}
    assert found["stores"] == searched_stores()
    assert counts["SalonTable"]["before"] >= 8 and counts["SalonTable"]["after"] > 0
    assert record["status"] == "failed" and record["failure"] == "ResidueFound: SalonTable: 3"
    assert record["steps"] == {"inventory": "done", "erase": "done", "verify": "failed", "certify": "pending"}
    assert _items(table, other) == others_before


def test_a_second_closure_of_a_tenant_is_refused_and_its_exports_are_listed_newest_first(cloud: Any) -> None:
    table = Table(cloud.resources.table_name)
    tenant_id = _tenant_with_an_event(table, companies=0)
    exports = TenantExports(table)
    exports.create(tenant_id, "tex_old", "sub", iso(NOW - timedelta(days=2)))
    exports.create(tenant_id, "tex_new", "sub", iso(NOW))
    assert [e["export_id"] for e in exports.of_tenant(tenant_id)] == ["tex_new", "tex_old"]
    _closure(table, tenant_id)
    with pytest.raises(Conflict):
        _closure(table, tenant_id)
