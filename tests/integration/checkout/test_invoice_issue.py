"""Issuing invoices and credit notes against the local cloud: the gapless yearly numbering under 100
concurrent issues, the same order issued once, credit notes bounded by their invoice, the documents
in the invoice bucket behind presigned URLs, and nothing able to change an issued invoice."""

from __future__ import annotations

import io
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

import facturx
import pytest
import requests
from localcloud import demo_invoices
from localcloud.api_client import ApiClient
from localcloud.invoice_samples import GERMAN_BUYER, LINES, SELLER, order
from pypdf import PdfReader
from salon.checkout.invoicing import deps
from salon.checkout.invoicing.domain import amounts
from salon.checkout.invoicing.domain.invoice import IssuedInvoice, build, issue_date, number
from salon.checkout.invoicing.services.issue import issue_credit_note, issue_invoice
from salon.kernel import keys, platform
from salon.kernel.dynamo import ConditionFailed, Put, Table, TransactionCancelled, Update
from salon.kernel.errors import Conflict, NotFound, UnregisteredItemType
from salon.kernel.values import iso, utcnow

pytestmark = pytest.mark.integration
CONCURRENT = 100


@pytest.fixture
def tenant(cloud: Any) -> str:
    tenant_id = f"t-{uuid.uuid4().hex[:10]}"
    deps.get().invoices.put_seller(tenant_id, SELLER, "organiser-sub", iso(utcnow()))
    return tenant_id


def sequence_of(invoice: IssuedInvoice) -> int:
    return int(invoice.number.rsplit("-", 1)[1])


def test_100_concurrent_issues_take_100_consecutive_numbers(tenant: str) -> None:
    """The numbering itself (the store's issue transaction), without rendering 100 PDFs."""
    start = threading.Barrier(CONCURRENT)
    store = deps.get().invoices
    issued_at = utcnow()
    year = issue_date(issued_at).year

    def one(index: int) -> IssuedInvoice:
        source = order(f"ord_{index}")
        totals = amounts.compute(source.lines, source.vat_mode)

        def make(sequence: int) -> IssuedInvoice:
            return build(
                invoice_id=f"inv_{index}",
                tenant_id=tenant,
                sequence_number=number("FA", year, sequence),
                kind="invoice",
                order=source,
                seller=SELLER,
                amounts=totals,
                reverse_charge=False,
                issued_at=issued_at,
            )

        start.wait()
        return store.issue(tenant, f"ORDER#{source.order_id}", year, make)

    with ThreadPoolExecutor(CONCURRENT) as pool:
        issued = list(pool.map(one, range(CONCURRENT)))
    assert sorted(sequence_of(i) for i in issued) == list(range(1, CONCURRENT + 1))
    stored = store.of_event(tenant, "evt_sample")
    assert [i.number for i in stored] == [f"FA-{year}-{n:05d}" for n in range(1, CONCURRENT + 1)]
    assert len({i.invoice_id for i in stored}) == CONCURRENT
    counter = platform.get().table.get(keys.invoice_sequence_pk(tenant, year), keys.INVOICE_SEQUENCE_SK)
    assert counter is not None and counter["last"] == CONCURRENT


def test_issuing_the_same_order_again_returns_the_first_invoice(tenant: str) -> None:
    first = issue_invoice(tenant, order("ord_twice"))
    again = issue_invoice(tenant, order("ord_twice"))
    assert again == first
    assert [i.invoice_id for i in deps.get().invoices.of_event(tenant, "evt_sample")] == [first.invoice_id]


def test_concurrent_issues_of_one_order_give_one_invoice_and_one_number(tenant: str) -> None:
    start = threading.Barrier(8)

    def one(_: int) -> IssuedInvoice:
        start.wait()
        return issue_invoice(tenant, order("ord_racing"))

    with ThreadPoolExecutor(8) as pool:
        issued = list(pool.map(one, range(8)))
    assert len({i.invoice_id for i in issued}) == 1
    assert [i.number for i in deps.get().invoices.of_event(tenant, "evt_sample")] == [issued[0].number]
    assert sequence_of(issued[0]) == 1


def test_no_seller_details_no_invoice() -> None:
    with pytest.raises(Conflict, match="seller details"):
        issue_invoice(f"t-{uuid.uuid4().hex[:10]}", order())


def test_an_eu_business_buyer_is_reverse_charged(tenant: str) -> None:
    invoice = issue_invoice(tenant, order("ord_de", billing=GERMAN_BUYER, locale="en"))
    assert invoice.reverse_charge and invoice.vat_cents == 0
    assert [(v.category, v.rate, v.vat_cents) for v in invoice.vat] == [("AE", Decimal(0), 0)]


def test_credit_notes_reference_their_invoice_and_never_exceed_it(tenant: str) -> None:
    invoice = issue_invoice(tenant, order("ord_refund"))
    source = order("ord_refund")
    invoice_id = invoice.invoice_id
    first = issue_credit_note(
        tenant, source, invoice_id, [LINES[1]], "two participants less", reference="re_1"
    )
    assert first.kind == "credit_note"
    assert first.credited_invoice is not None and first.credited_invoice.number == invoice.number
    assert sequence_of(first) == sequence_of(invoice) + 1
    assert issue_credit_note(tenant, source, invoice_id, [LINES[1]], "retry", reference="re_1") == first
    with pytest.raises(Conflict, match="exceed"):
        issue_credit_note(tenant, source, invoice_id, list(LINES), "everything again", reference="re_2")
    rest = [LINES[0], LINES[2], LINES[3]]
    last = issue_credit_note(tenant, source, invoice_id, rest, "cancelled", reference="re_3")
    assert first.gross_cents + last.gross_cents == invoice.gross_cents
    assert deps.get().invoices.credited_cents(tenant, invoice.invoice_id) == invoice.gross_cents
    with pytest.raises(NotFound):
        issue_credit_note(tenant, order("ord_other"), invoice.invoice_id, [LINES[0]], "not its order")


def test_an_issued_invoice_cannot_be_overwritten_nor_updated(tenant: str) -> None:
    invoice = issue_invoice(tenant, order("ord_fixed"))
    table = platform.get().table
    key = {"PK": keys.invoice_pk(tenant, invoice.invoice_id), "SK": keys.INVOICE_SK}
    with pytest.raises(UnregisteredItemType, match="append-only"):
        table.update(Update(key=key, item_type="invoice", set={"gross_cents": 1}))
    stored = table.get(key["PK"], key["SK"])
    assert stored is not None
    with pytest.raises(ConditionFailed):
        table.put(Put({**stored, "gross_cents": 1}, "attribute_not_exists(PK)"))
    with pytest.raises(TransactionCancelled):
        table.transact([Put({**stored, "gross_cents": 1}, "attribute_not_exists(PK)")])
    assert deps.get().invoices.get(tenant, invoice.invoice_id) == invoice


def test_the_documents_are_stored_encrypted_and_downloaded_through_presigned_urls(
    tenant: str, cloud: Any
) -> None:
    invoice = issue_invoice(tenant, order("ord_docs", locale="en"))
    documents = deps.get().documents
    pdf_key = documents.key(tenant, invoice.year, invoice.invoice_id, "pdf")
    head = cloud.client("s3").head_object(Bucket=documents.bucket, Key=pdf_key)
    assert head["ServerSideEncryption"] == "aws:kms"
    pdf = requests.get(documents.url(pdf_key), timeout=10)
    assert pdf.status_code == 200
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert f"INVOICE No. {invoice.number}" in text
    factur_x = requests.get(
        documents.url(documents.key(tenant, invoice.year, invoice.invoice_id, "facturx")), timeout=10
    )
    filename, xml = facturx.get_facturx_xml_from_pdf(factur_x.content)
    assert filename == "factur-x.xml" and invoice.number.encode() in xml
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")


def test_missing_documents_are_written_again_from_the_stored_invoice(tenant: str, cloud: Any) -> None:
    invoice = issue_invoice(tenant, order("ord_lost"))
    documents = deps.get().documents
    key = documents.key(tenant, invoice.year, invoice.invoice_id, "facturx")
    cloud.client("s3").delete_object(Bucket=documents.bucket, Key=key)
    assert not documents.exists(key)
    assert issue_invoice(tenant, order("ord_lost")) == invoice
    assert documents.exists(key)


def test_the_demo_report_proves_the_range_and_writes_one_pdf_and_one_facturx(
    cloud: Any, user_factory: Any
) -> None:
    tenant = f"t-{uuid.uuid4().hex[:10]}"
    event_id = f"evt_{uuid.uuid4().hex[:8]}"
    Table(cloud.resources.table_name).put(
        Put(
            {
                "PK": keys.event_pk(tenant, event_id),
                "SK": keys.EVENT_SK,
                "item_type": "event",
                "event_id": event_id,
            }
        )
    )
    organizer = user_factory("organizer", tenant)
    demo_invoices.set_seller(ApiClient(cloud.gateway_url, organizer.token))
    first = issue_invoice(tenant, order("ord_a", event_id=event_id))
    issue_invoice(tenant, order("ord_b", event_id=event_id, vat_mode="including"))
    issue_credit_note(tenant, order("ord_a", event_id=event_id), first.invoice_id, [LINES[0]], "cancelled")
    lines = demo_invoices.report(cloud, tenant, event_id)
    year = first.year
    assert lines[0] == (
        f"Invoices: FA-{year}-00001 .. FA-{year}-00003: 3 numbers (2 invoices, 1 credit notes), "
        "no gap, no duplicate"
    )
    assert lines[1] == f"  the tenant's yearly counter(s), last number: {year}: 3"
    pdf_path = Path(lines[-2].split(": ", 1)[1])
    facturx_path = Path(lines[-1].split(": ", 1)[1])
    assert pdf_path.read_bytes().startswith(b"%PDF")
    assert facturx.get_facturx_xml_from_pdf(facturx_path.read_bytes())[0] == "factur-x.xml"
