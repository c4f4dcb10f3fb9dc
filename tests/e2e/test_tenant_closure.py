"""A tenant's closure over HTTP: the organiser confirms after an export, the real state machine (ASL)
of the local cloud inventories, deletes and verifies every store, then certifies; another tenant's
data is untouched, and the closure record (with its certificate) survives the tenant."""

from __future__ import annotations

import io
import time
import uuid
import zipfile
from datetime import timedelta
from typing import Any

import pytest
import requests
from boto3.dynamodb.conditions import Attr
from event_world import buyer_event
from salon.kernel import aws, keys
from salon.kernel.dynamo import Table
from salon.kernel.values import parse_iso
from salon.registration.adapters.submissions_repo import SubmissionsRepository
from scheduling_world import NOW

pytestmark = pytest.mark.e2e


def _tenant(cloud: Any, user_factory: Any, companies: int) -> dict[str, Any]:
    """An organiser's event with validated companies of one person each (every person a login), in
    the catalogue, and an invoice document under the tenant's prefix."""
    tenant_id = f"tenant-{uuid.uuid4().hex[:8]}"
    organizer = user_factory("organizer", tenant_id)
    event_id = buyer_event(organizer)
    regs = SubmissionsRepository(Table(cloud.resources.table_name))
    for n in range(companies):
        user = user_factory("participant", tenant_id)
        rid, pid = f"reg_{uuid.uuid4().hex}", f"par_{uuid.uuid4().hex}"
        row = {
            "participant_id": pid,
            "registration_id": rid,
            "event_id": event_id,
            "position": 0,
            "email": user.email,
            "account_status": "active",
            "first_name": f"Person {n}",
            "last_name": "Closing",
            "user_sub": user.sub,
            "cognito_username": user.username,
        }
        company = {
            "registration_id": rid,
            "event_id": event_id,
            "type": "buyer",
            "state": "validated",
            "company_name": f"Company {n}",
            "participant_ids": [pid],
            "created_at": NOW.isoformat(),
        }
        regs.create(tenant_id, company, [row])
        regs.link_user(tenant_id, user.sub, row)
    rebuilt = organizer.api.post(f"/events/{event_id}/catalogue/rebuild")
    assert rebuilt.status_code in (200, 202), rebuilt.text
    aws.s3().put_object(
        Bucket=cloud.resources.physical_ids["InvoiceBucket"],
        Key=keys.invoice_document(tenant_id, 2026, "inv_1", "pdf"),
        Body=b"%PDF-1.7",
    )
    return {"tenant_id": tenant_id, "organizer": organizer, "event_id": event_id}


def _items_of(table: str, tenant_id: str) -> dict[tuple[str, str], Any]:
    found, kwargs = {}, {"FilterExpression": Attr("PK").begins_with(keys.tenant(tenant_id))}
    while True:
        page = aws.dynamodb().Table(table).scan(**kwargs)
        found.update({(i["PK"], i["SK"]): i for i in page["Items"]})
        if "LastEvaluatedKey" not in page:
            return found
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _wait(organizer: Any, path: str, timeout: float = 180.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        read = organizer.api.get(path)
        assert read.status_code == 200, read.text
        if read.json()["status"] != "running" or time.monotonic() > deadline:
            return dict(read.json())
        time.sleep(0.5)


def test_closing_a_tenant_deletes_it_everywhere_certifies_and_leaves_others_alone(
    cloud: Any, user_factory: Any
) -> None:
    closing = _tenant(cloud, user_factory, companies=2)
    other = _tenant(cloud, user_factory, companies=1)
    tenant_id, organizer = closing["tenant_id"], closing["organizer"]
    tables = (cloud.resources.table_name, cloud.resources.audit_table_name)
    others_before = [_items_of(t, other["tenant_id"]) for t in tables]

    missing = organizer.api.post("/tenant/close", json={})
    assert missing.status_code == 422 and "confirm" in missing.text
    wrong = organizer.api.post("/tenant/close", json={"confirm": other["tenant_id"]})
    assert wrong.status_code == 422 and "confirm" in wrong.text
    no_export = organizer.api.post("/tenant/close", json={"confirm": tenant_id})
    assert no_export.status_code == 409 and "without_export" in no_export.text

    started = organizer.api.post("/tenant/export")
    assert started.status_code == 202, started.text
    exported = _wait(organizer, f"/tenant/exports/{started.json()['export_id']}")
    assert exported["status"] == "completed", exported
    archive = zipfile.ZipFile(io.BytesIO(requests.get(exported["export_url"], timeout=30).content))
    invoice = keys.invoice_document(tenant_id, 2026, "inv_1", "pdf").removeprefix(f"{tenant_id}/")
    assert archive.read(f"documents/InvoiceBucket/{invoice}") == b"%PDF-1.7"  # taken back before closing
    assert exported["counts"]["user_account"] == 3  # the organiser and the two participants
    assert all(other["tenant_id"].encode() not in archive.read(name) for name in archive.namelist())

    closed = organizer.api.post("/tenant/close", json={"confirm": tenant_id})
    assert closed.status_code == 202, closed.text
    body = closed.json()
    assert body["status"] == "running"
    again = organizer.api.post("/tenant/close", json={"confirm": tenant_id})
    assert again.status_code == 409, again.text
    assert organizer.api.post("/tenant/export").status_code == 409  # nothing more leaves a closing tenant
    assert other["organizer"].api.get(f"/tenant/closures/{body['closure_id']}").status_code == 404

    done = _wait(organizer, f"/tenant/closures/{body['closure_id']}")

    assert done["status"] == "completed", done
    assert parse_iso(done["due_at"]) - parse_iso(done["requested_at"]) == timedelta(days=10)
    assert done["export_id"] == exported["export_id"] and done["without_export"] is False
    stores = {s["target"]: s for s in done["certificate"]["stores"]}
    for store, at_least in (
        ("SalonTable", 10),
        ("AuditTable", 1),
        ("UserPool", 3),
        ("InvoiceBucket", 1),
        ("DsarBucket", 1),  # the export's archive
        ("CatalogueDomain", 2),
    ):
        assert stores[store]["before"] >= at_least and stores[store]["after"] == 0, stores[store]
    assert stores["IdempotencyTable"]["before"] is None and stores["IdempotencyTable"]["note"]
    certificate = done["certificate"]
    assert certificate["due_date_met"] is True and certificate["requested_by"] == organizer.sub
    assert certificate["deleted"] == sum(s["before"] or 0 for s in stores.values())
    assert done["steps"] == {"inventory": "done", "erase": "done", "verify": "done", "certify": "done"}

    assert [_items_of(t, tenant_id) for t in tables] == [{}, {}]
    assert others_before[0], "the other tenant has items to keep"
    for table, before in zip(tables, others_before, strict=True):
        after = _items_of(table, other["tenant_id"])  # consumers may add items; none may go or change
        assert all(after.get(key) == item for key, item in before.items())
    assert other["organizer"].api.get("/events").status_code == 200
    record = Table(cloud.resources.table_name).get(keys.closure_pk(body["closure_id"]), keys.CLOSURE_SK)
    assert record is not None and record["certificate"]["residue"] == 0
    pdf = (
        aws.s3()
        .get_object(Bucket=cloud.resources.physical_ids["DsarBucket"], Key=certificate["pdf_key"])["Body"]
        .read()
    )
    assert pdf.startswith(b"%PDF")
    assert "notify_email" not in record and record["certificate_sent_at"]
    mails = [m for m in cloud.captured() if m.to == organizer.email]
    assert [m.kind for m in mails] == ["tenant_closure_certificate"]
    sent = mails[0].path.read_text()
    assert body["closure_id"] in sent and "residue 0" in sent
