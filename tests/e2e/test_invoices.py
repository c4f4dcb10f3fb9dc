"""Invoices over HTTP through the local gateway: the organiser sets the seller details, checkout issues
invoices (called in-process, as the checkout function does), participants list and download their
own, organisers list, export the accounting journal and download any (audited)."""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from localcloud.invoice_samples import GERMAN_BUYER, LINES, SELLER, order
from openpyxl import load_workbook
from pypdf import PdfReader
from salon.checkout.invoicing.domain.invoice import IssuedInvoice
from salon.checkout.invoicing.services.issue import issue_credit_note, issue_invoice
from salon.kernel.dynamo import Table
from salon.registration.adapters.submissions_repo import SubmissionsRepository

pytestmark = pytest.mark.e2e
SELLER_BODY = SELLER.model_dump(mode="json")


@dataclass
class Shop:
    tenant_id: str
    event_id: str
    organizer: Any
    staff: Any
    dpo: Any
    buyer: Any  # a participant of the registration below
    stranger: Any  # a participant of another company
    registration_id: str
    invoice: IssuedInvoice
    credit_note: IssuedInvoice


def ok(response: requests.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def participant(cloud: Any, user_factory: Any, tenant_id: str, event_id: str) -> tuple[Any, str]:
    regs = SubmissionsRepository(Table(cloud.resources.table_name))
    rid, pid = f"reg_{uuid.uuid4().hex}", f"par_{uuid.uuid4().hex}"
    person = {
        "participant_id": pid,
        "registration_id": rid,
        "event_id": event_id,
        "position": 0,
        "email": f"{pid}@example.test",
        "account_status": "active",
        "first_name": "Ada",
        "last_name": "Buyer",
        "locale": "en",
    }
    registration = {
        "registration_id": rid,
        "event_id": event_id,
        "type": "buyer",
        "state": "validated",
        "company_name": "Buyer Co",
        "participant_ids": [pid],
        "created_at": datetime.now(UTC).isoformat(),
    }
    regs.create(tenant_id, registration, [person])
    user = user_factory("participant", tenant_id)
    regs.link_user(tenant_id, user.sub, person)
    return user, rid


@pytest.fixture(scope="module")
def shop(cloud: Any, user_factory: Any) -> Shop:
    tenant_id = f"tenant-{uuid.uuid4().hex[:8]}"
    organizer = user_factory("organizer", tenant_id)
    now = datetime.now(UTC)
    created = organizer.api.post(
        "/events",
        json={
            "name": {"fr": "Salon"},
            "starts_at": (now + timedelta(days=30)).isoformat(),
            "ends_at": (now + timedelta(days=31)).isoformat(),
            "time_zone": "Europe/Paris",
        },
    )
    event_id = ok(created, 201)["event_id"]
    ok(organizer.api.put("/tenant/seller", json=SELLER_BODY))
    buyer, registration_id = participant(cloud, user_factory, tenant_id, event_id)
    stranger, other_registration = participant(cloud, user_factory, tenant_id, event_id)
    source = order(
        "ord_e2e", event_id=event_id, registration_id=registration_id, billing=GERMAN_BUYER, locale="en"
    )
    invoice = issue_invoice(tenant_id, source)
    credit_note = issue_credit_note(
        tenant_id, source, invoice.invoice_id, [LINES[2]], "no lunch", reference="r1"
    )
    issue_invoice(tenant_id, order("ord_other", event_id=event_id, registration_id=other_registration))
    return Shop(
        tenant_id,
        event_id,
        organizer,
        user_factory("staff", tenant_id),
        user_factory("dpo", tenant_id),
        buyer,
        stranger,
        registration_id,
        invoice,
        credit_note,
    )


def test_the_seller_details_are_checked_and_read_back(shop: Shop) -> None:
    assert ok(shop.staff.api.get("/tenant/seller"))["siret"] == SELLER_BODY["siret"]
    bad = shop.organizer.api.put("/tenant/seller", json=SELLER_BODY | {"siret": "73282932000075"})
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in bad.json()["errors"]] == ["siret"]
    assert shop.staff.api.put("/tenant/seller", json=SELLER_BODY).status_code == 403


def test_a_participant_lists_their_companys_invoices_and_credit_notes(shop: Shop) -> None:
    items = ok(shop.buyer.api.get("/me/invoices"))["items"]
    assert [(i["invoice_id"], i["kind"], i["number"]) for i in items] == [
        (shop.invoice.invoice_id, "invoice", shop.invoice.number),
        (shop.credit_note.invoice_id, "credit_note", shop.credit_note.number),
    ]
    assert items[1]["credited_invoice_id"] == shop.invoice.invoice_id
    assert items[0]["gross_cents"] == shop.invoice.gross_cents


def test_a_participant_downloads_their_invoice_in_their_language(shop: Shop) -> None:
    link = ok(shop.buyer.api.get(f"/invoices/{shop.invoice.invoice_id}/document", params={"format": "pdf"}))
    assert link["expires_in"] == 300
    document = requests.get(link["url"], timeout=10)
    text = PdfReader(io.BytesIO(document.content)).pages[0].extract_text()
    assert f"INVOICE No. {shop.invoice.number}" in text
    assert "Reverse charge (Autoliquidation)" in text
    facturx = ok(
        shop.buyer.api.get(f"/invoices/{shop.invoice.invoice_id}/document", params={"format": "facturx"})
    )
    assert requests.get(facturx["url"], timeout=10).content.startswith(b"%PDF")


def test_another_company_cannot_see_the_document(shop: Shop) -> None:
    response = shop.stranger.api.get(f"/invoices/{shop.invoice.invoice_id}/document")
    assert response.status_code == 404
    assert shop.buyer.api.get("/invoices/inv_unknown/document").status_code == 404
    assert (
        shop.buyer.api.get(
            f"/invoices/{shop.invoice.invoice_id}/document", params={"format": "docx"}
        ).status_code
        == 422
    )


def test_the_organiser_lists_and_exports_the_journal_audited(shop: Shop) -> None:
    items = ok(shop.organizer.api.get(f"/events/{shop.event_id}/invoices"))["items"]
    assert len(items) == 3
    assert [i["number"] for i in items] == sorted(i["number"] for i in items)
    exported = shop.organizer.api.get(
        f"/events/{shop.event_id}/invoices", params={"format": "csv", "locale": "en"}
    )
    assert exported.status_code == 200 and exported.headers["content-type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Date", "Number", "Kind"]
    by_number = {(r[1], r[8]): r for r in rows[1:]}
    note = by_number[(shop.credit_note.number, "0")]
    assert (
        note[2] == "credit note"
        and note[9] == "AE"
        and note[10] == f"-{shop.credit_note.net_cents / 100:.2f}"
    )
    assert (
        len(rows) == 1 + 1 + 1 + 2
    )  # reverse-charged invoice and note: one rate each; the other: 20 % and 10 %
    xlsx = shop.staff.api.get(f"/events/{shop.event_id}/invoices", params={"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None and sheet.max_row == len(rows)
    trail = ok(shop.dpo.api.get("/audit", params={"actor_id": shop.organizer.sub}))["items"]
    assert {"invoice.list", "invoice.export"} <= {record["action"] for record in trail}


def test_other_events_and_roles_are_refused(shop: Shop) -> None:
    assert shop.organizer.api.get("/events/evt_missing/invoices").status_code == 404
    assert shop.buyer.api.get(f"/events/{shop.event_id}/invoices").status_code == 403
    assert shop.organizer.api.get("/me/invoices").status_code == 403
