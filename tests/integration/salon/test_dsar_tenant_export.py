"""A tenant's export against the local cloud: everything of the tenant its closure would delete, read
the way the closure finds it (every table item, the audit trail, the invoice and schedule documents,
the login accounts), archived in the DSAR bucket; another tenant's data never appears."""

from __future__ import annotations

import io
import json
import os
import uuid
import zipfile
from datetime import UTC, datetime
from typing import Any

import pytest
from archive_fields import covered_fields
from localcloud import invoice_samples
from salon.checkout.invoicing.adapters.invoice_store import InvoiceStore
from salon.checkout.invoicing.domain.invoice import IssuedInvoice
from salon.checkout.invoicing.services import documents as invoice_documents
from salon.checkout.invoicing.services.issue import issue_invoice
from salon.dsar.adapters.tenant_data import archive_key
from salon.dsar.adapters.tenant_exports import TenantExports
from salon.dsar.services import tenant_export_run
from salon.kernel import audit, aws, platform
from salon.kernel.caller import Caller
from salon.kernel.dynamo import Table
from salon.kernel.principal import Principal
from salon.registration.adapters.submissions_repo import SubmissionsRepository
from salon.scheduling.adapters.document_writer import document_writer
from salon.scheduling.adapters.store import SchedulingStore
from stored_event import event_in_a_new_tenant

pytestmark = pytest.mark.integration
NOW = datetime.now(UTC)


def _tenant_with_an_event(table: Table, companies: int) -> tuple[str, str]:
    event = event_in_a_new_tenant(table)
    tenant_id = event.tenant_id
    for n in range(companies):
        rid, pid = f"reg_{uuid.uuid4().hex}", f"par_{uuid.uuid4().hex}"
        SubmissionsRepository(table).create(
            tenant_id,
            {
                "registration_id": rid,
                "event_id": event.event_id,
                "type": "buyer",
                "state": "validated",
                "company_name": f"Company {n} of {tenant_id}",
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


def _tenant_in_every_store(table: Table, user_factory: Any) -> dict[str, Any]:
    """A tenant with an event and companies, its seller settings, an invoice (item and PDF and
    Factur-X documents), a scheduling run (item and documents), an audit record and two accounts."""
    tenant_id, event_id = _tenant_with_an_event(table, companies=2)
    InvoiceStore(table).put_seller(tenant_id, invoice_samples.SELLER, "sub-organizer", NOW.isoformat())
    invoice = issue_invoice(tenant_id, invoice_samples.order(f"ord_{uuid.uuid4().hex}", event_id=event_id))
    invoice_documents.publish(invoice, fresh=True)
    run_id = f"run_{uuid.uuid4().hex}"
    SchedulingStore(table).create_run(
        {
            "tenant_id": tenant_id,
            "event_id": event_id,
            "run_id": run_id,
            "status": "queued",
            "created_at": NOW.isoformat(),
        }
    )
    schedule_key = document_writer().put(tenant_id, run_id, "problem.json", {"participants": [1, 2]})
    organizer = user_factory("organizer", tenant_id)
    participant = user_factory("participant", tenant_id)
    caller = Caller(Principal(organizer.sub, tenant_id, frozenset({"organizer"})), "req-test")
    read = audit.entry(
        caller,
        role="organizer",
        action="order.read",
        subjects=[invoice.order_id],
        item_types=["order"],
        fields=["billing"],
        purpose="test",
    )
    platform.get().audit.append(read)
    return {
        "tenant_id": tenant_id,
        "event_id": event_id,
        "invoice": invoice,
        "run_id": run_id,
        "schedule_key": schedule_key,
        "accounts": {organizer.username: organizer, participant.username: participant},
        "audit_id": read.audit_id,
    }


def _archive(key: str) -> zipfile.ZipFile:
    body = aws.s3().get_object(Bucket=os.environ["DSAR_BUCKET"], Key=key)["Body"].read()
    return zipfile.ZipFile(io.BytesIO(body))


def _rows(archive: zipfile.ZipFile, item_type: str) -> list[dict[str, Any]]:
    return list(json.loads(archive.read(f"{item_type}.json")))


def test_the_export_holds_every_store_of_the_tenant_and_nothing_of_another(
    cloud: Any, user_factory: Any
) -> None:
    table = Table(cloud.resources.table_name)
    mine = _tenant_in_every_store(table, user_factory)
    theirs = _tenant_in_every_store(table, user_factory)
    tenant_id, invoice = mine["tenant_id"], mine["invoice"]
    assert isinstance(invoice, IssuedInvoice)
    exports = TenantExports(table)
    exports.create(tenant_id, "tex_1", "sub-organizer", NOW.isoformat())

    done = tenant_export_run.run(tenant_id, "tex_1")

    record = exports.get(tenant_id, "tex_1")
    assert record is not None and record["status"] == "completed" and record["counts"] == done["counts"]
    assert record["export_key"] == archive_key(tenant_id, "tex_1")
    archive = _archive(record["export_key"])
    names = set(archive.namelist())
    assert {r["company_name"] for r in _rows(archive, "registration")} == {
        f"Company 0 of {tenant_id}",
        f"Company 1 of {tenant_id}",
    }
    assert [r["invoice_id"] for r in _rows(archive, "invoice")] == [invoice.invoice_id]
    assert [r["run_id"] for r in _rows(archive, "schedule_run")] == [mine["run_id"]]
    seller = invoice_samples.SELLER.model_dump(mode="json")
    assert _rows(archive, "invoicing_seller")[0]["seller"] == seller
    assert mine["audit_id"] in {r.get("audit_id") for r in _rows(archive, "audit_record")}
    accounts = {r["username"]: r for r in _rows(archive, "user_account")}
    assert set(accounts) == set(mine["accounts"])
    for username, user in mine["accounts"].items():
        assert accounts[username]["email"] == user.email and accounts[username]["role"] == user.role
        assert accounts[username]["status"] == "CONFIRMED"
    assert "Local-Passw0rd" not in archive.read("user_account.json").decode()
    year = invoice.year
    invoice_files = {
        f"documents/InvoiceBucket/invoices/{year}/{invoice.invoice_id}.pdf",
        f"documents/InvoiceBucket/invoices/{year}/{invoice.invoice_id}.facturx.pdf",
    }
    assert invoice_files <= names
    assert all(archive.read(name).startswith(b"%PDF") for name in invoice_files)
    schedule_file = f"documents/ScheduleBucket/{mine['schedule_key'].removeprefix(f'{tenant_id}/')}"
    assert json.loads(archive.read(schedule_file)) == {"participants": [1, 2]}
    assert {d["file"] for d in _rows(archive, "document")} == {n for n in names if n.startswith("documents/")}
    manifest = json.loads(archive.read("tenant.json"))
    assert manifest["counts"] == done["counts"] and manifest["stores"]["UserPool"] == 2
    assert manifest["stores"]["InvoiceBucket"] == 2 and manifest["stores"]["AuditTable"] >= 2
    assert "README.txt" in names
    # Every item type of a tenant in every store: each field of its CSV files is labelled.
    assert {f["file"] for f in covered_fields(archive)} >= {"invoice.csv", "schedule_run.csv", "document.csv"}

    everything = b"".join(archive.read(name) for name in names)
    other = theirs["tenant_id"].encode()
    assert other not in everything
    assert theirs["invoice"].invoice_id.encode() not in everything
    assert all(username.encode() not in everything for username in theirs["accounts"])


def test_a_second_export_leaves_the_first_archive_out(cloud: Any) -> None:
    table = Table(cloud.resources.table_name)
    tenant_id, _ = _tenant_with_an_event(table, companies=1)
    exports = TenantExports(table)
    for export_id in ("tex_1", "tex_2"):
        exports.create(tenant_id, export_id, "sub-organizer", NOW.isoformat())
        tenant_export_run.run(tenant_id, export_id)

    second = _archive(archive_key(tenant_id, "tex_2"))

    assert not [n for n in second.namelist() if n.endswith("archive.zip")]
    assert {r["export_id"] for r in _rows(second, "tenant_export")} == {"tex_1", "tex_2"}
