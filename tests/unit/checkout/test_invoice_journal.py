"""The accounting journal's rows and the demo's check of a number series."""

from __future__ import annotations

from datetime import UTC, datetime

from localcloud.demo_invoices import number_gaps
from localcloud.invoice_samples import SELLER, order
from salon.checkout.invoicing.domain import amounts, journal
from salon.checkout.invoicing.domain.invoice import InvoiceReference, IssuedInvoice, build, number

ISSUED = datetime(2026, 11, 20, 10, tzinfo=UTC)


def document(sequence: int, *, credit: bool = False, company: str = "Atelier Dupré SARL") -> IssuedInvoice:
    source = order(f"ord_{sequence}")
    source = source.model_copy(
        update={"billing": source.billing.model_copy(update={"company_name": company})}
    )
    credited = (
        InvoiceReference(invoice_id="inv_1", number="FA-2026-00001", issue_date=ISSUED.date())
        if credit
        else None
    )
    return build(
        invoice_id=f"inv_{sequence}",
        tenant_id="t",
        sequence_number=number("FA", 2026, sequence),
        kind="credit_note" if credit else "invoice",
        order=source,
        seller=SELLER,
        amounts=amounts.compute(source.lines[:1] if credit else source.lines, source.vat_mode),
        reverse_charge=False,
        issued_at=ISSUED,
        credited=credited,
        reason="refund" if credit else None,
    )


def test_one_row_per_document_and_rate_credit_notes_negative() -> None:
    table = journal.rows([document(2, credit=True), document(1)], "en")
    assert table[0][:3] == ["Date", "Number", "Kind"]
    assert [(r[1], r[2], r[8], r[10], r[11], r[12]) for r in table[1:]] == [
        ("FA-2026-00001", "invoice", "10", "99.99", "10.00", "109.99"),
        ("FA-2026-00001", "invoice", "20", "1530.00", "306.00", "1836.00"),
        ("FA-2026-00002", "credit note", "20", "-1250.00", "-250.00", "-1500.00"),
    ]
    assert table[3][3] == "FA-2026-00001"


def test_a_company_name_never_runs_as_a_formula() -> None:
    (row,) = journal.rows([document(1, company='=HYPERLINK("x")')], "fr")[1:2]
    assert row[5] == '\'=HYPERLINK("x")'


def test_number_gaps_names_missing_and_duplicated_numbers() -> None:
    assert number_gaps(["FA-2026-00001", "FA-2026-00002", "FA-2027-00001"]) == []
    assert number_gaps(["FA-2026-00001", "FA-2026-00003", "FA-2026-00003"]) == [
        "FA-2026: missing [2], duplicated [3]"
    ]
