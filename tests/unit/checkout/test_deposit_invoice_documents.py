"""The documents of an order paid in two instalments: the deposit invoice ("facture d'acompte": its title,
Factur-X type 386, its mention) and the final invoice deducting it (type 380, naming the deposit invoice,
VAT on the balance only, what was paid and what is due), both valid against the EN 16931 schema, and
the journal naming their kinds."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import facturx
import pytest
from localcloud.invoice_samples import SELLER
from lxml import etree
from pypdf import PdfReader
from salon.checkout.domain.deposits import covered, plan
from salon.checkout.domain.orders import Billing, Order, OrderLine, order_totals
from salon.checkout.invoicing.domain import amounts, cii, journal, pdf
from salon.checkout.invoicing.domain import mentions as m
from salon.checkout.invoicing.domain.invoice import InvoiceReference, IssuedInvoice, build, number
from salon.checkout.services.deposit_invoices import deposit_lines, final_lines
from salon.checkout.services.invoice_lines import invoiceable
from salon.kernel.values import Locale, LocalizedText
from salon.registration.domain.events import DepositTerms

PLACED = datetime(2026, 3, 1, 12, tzinfo=UTC)
DEPOSIT_PAID = datetime(2026, 3, 2, 9, tzinfo=UTC)
BALANCE_PAID = datetime(2026, 5, 20, 9, tzinfo=UTC)
NS = cii.NSMAP


def paid_order(locale: Locale) -> Order:
    lines = [
        OrderLine(
            product_id="pkg",
            name=LocalizedText(fr="Pack", en="Package"),
            quantity=1,
            unit_price_cents=8_000,
            vat_rate=Decimal("20"),
        ),
        OrderLine(
            product_id="lunch",
            name=LocalizedText(fr="Déjeuner", en="Lunch"),
            quantity=3,
            unit_price_cents=667,
            vat_rate=Decimal("10"),
        ),
    ]
    totals = order_totals(lines, "excl")
    terms = DepositTerms(percent=30, balance_due_days=14)
    instalments = plan(totals.gross_cents, terms, datetime(2026, 6, 10, tzinfo=UTC), PLACED)
    paid = covered(instalments, totals.gross_cents, DEPOSIT_PAID)
    return Order(
        order_id="ord_1",
        event_id="evt_1",
        registration_id="reg_1",
        state="paid",
        payment_method="transfer",
        currency="EUR",
        vat_mode="excl",
        lines=lines,
        totals=totals,
        billing=Billing.model_validate(
            {
                "company_name": "Acme",
                "country": "FR",
                "address_lines": ["1 rue de la Paix"],
                "postcode": "75002",
                "city": "Paris",
            }
        ),
        buyer_locale=locale,
        placed_by="sub-1",
        placed_at=PLACED,
        hold_until=PLACED + timedelta(minutes=30),
        paid_at=BALANCE_PAID,
        paid_cents=totals.gross_cents,
        instalments=paid,
    )


def documents(locale: Locale = "fr") -> tuple[IssuedInvoice, IssuedInvoice]:
    """The order's deposit invoice (FA-2026-00007), then its final invoice (FA-2026-00008)."""
    order = paid_order(locale)
    source = invoiceable(order)
    deposit_source = source.model_copy(update={"lines": deposit_lines(order), "paid_at": DEPOSIT_PAID})
    deposit = build(
        invoice_id="inv_dep",
        tenant_id="t1",
        sequence_number=number("FA", 2026, 7),
        kind="deposit_invoice",
        order=deposit_source,
        seller=SELLER,
        amounts=amounts.compute(deposit_source.lines, source.vat_mode),
        reverse_charge=False,
        issued_at=DEPOSIT_PAID,
    )
    final_source = source.model_copy(update={"lines": final_lines(order, deposit.number)})
    final = build(
        invoice_id="inv_final",
        tenant_id="t1",
        sequence_number=number("FA", 2026, 8),
        kind="invoice",
        order=final_source,
        seller=SELLER,
        amounts=amounts.compute(final_source.lines, source.vat_mode),
        reverse_charge=False,
        issued_at=BALANCE_PAID,
        deducted_deposit=InvoiceReference(
            invoice_id=deposit.invoice_id, number=deposit.number, issue_date=deposit.issue_date
        ),
    )
    return deposit, final


def valid_xml(invoice: IssuedInvoice) -> etree._Element:
    xml = cii.render(invoice)
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    return etree.fromstring(xml)


def text_of(document: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(document)).pages)
    return " ".join(text.split())  # a mention may wrap


def cents(root: etree._Element, path: str) -> int:
    return round(Decimal(root.findtext(path, namespaces=NS) or "nan") * 100)


@pytest.mark.parametrize(
    ("locale", "title", "mention"),
    [
        (
            "fr",
            "FACTURE D'ACOMPTE N° FA-2026-00007",
            "Facture d'acompte sur la commande ord_1 : cet acompte sera déduit de la facture finale",
        ),
        (
            "en",
            "DEPOSIT INVOICE No. FA-2026-00007",
            "Deposit invoice on order ord_1: this deposit will be deducted from the order's final invoice",
        ),
    ],
)
def test_the_deposit_invoice_is_a_facture_d_acompte_of_type_386(
    locale: Locale, title: str, mention: str
) -> None:
    deposit, _ = documents(locale)
    text = text_of(pdf.render(deposit))
    assert title in text
    assert mention in text
    root = valid_xml(deposit)
    assert root.findtext("rsm:ExchangedDocument/ram:TypeCode", namespaces=NS) == "386"
    notes = [n.text or "" for n in root.iterfind(".//ram:IncludedNote/ram:Content", namespaces=NS)]
    assert any(note.startswith(mention) for note in notes)
    assert root.find(".//ram:InvoiceReferencedDocument", namespaces=NS) is None
    assert (
        cents(root, ".//ram:GrandTotalAmount")
        == deposit.gross_cents
        == paid_order(locale).instalments[0].amount_cents
    )
    assert cents(root, ".//ram:TotalPrepaidAmount") == deposit.gross_cents  # paid at issue
    assert cents(root, ".//ram:DuePayableAmount") == 0


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_the_final_invoice_names_the_deposit_invoice_and_charges_the_balance_only(locale: Locale) -> None:
    deposit, final = documents(locale)
    root = valid_xml(final)
    assert root.findtext("rsm:ExchangedDocument/ram:TypeCode", namespaces=NS) == "380"
    reference = root.find(
        ".//ram:ApplicableHeaderTradeSettlement/ram:InvoiceReferencedDocument", namespaces=NS
    )
    assert reference is not None
    assert reference.findtext("ram:IssuerAssignedID", namespaces=NS) == "FA-2026-00007"
    assert reference.findtext("ram:FormattedIssueDateTime/qdt:DateTimeString", namespaces=NS) == "20260302"
    line_totals = [
        cents(line, ".//ram:LineTotalAmount")
        for line in root.iterfind(".//ram:IncludedSupplyChainTradeLineItem", namespaces=NS)
    ]
    assert sorted(t for t in line_totals if t < 0) == sorted(-r.base_cents for r in deposit.vat)
    assert sum(line_totals) == cents(
        root, ".//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:LineTotalAmount"
    )
    order = paid_order(locale)
    whole_order = amounts.compute(invoiceable(order).lines, "excluding")
    for rate in final.vat:  # per rate: the order's VAT less the deposit invoice's, within a rounding cent
        deposited = next(r for r in deposit.vat if r.rate == rate.rate)
        whole = next(r for r in whole_order.rates if r.rate == rate.rate)
        assert abs(rate.vat_cents + deposited.vat_cents - whole.vat_cents) <= 1
    grand = cents(root, ".//ram:GrandTotalAmount")
    assert abs(grand + deposit.gross_cents - order.total_cents) <= 1
    assert cents(root, ".//ram:TotalPrepaidAmount") == grand  # the balance, paid at issue
    assert cents(root, ".//ram:DuePayableAmount") == 0
    text = text_of(pdf.render(final))
    if locale == "fr":
        assert "FACTURE N° FA-2026-00008" in text
        assert "Déduit la facture d'acompte FA-2026-00007 (02/03/2026)" in text
        assert "déduit l'acompte de la facture d'acompte N° FA-2026-00007 du 02/03/2026" in text
    else:
        assert "INVOICE No. FA-2026-00008" in text and "DEPOSIT INVOICE" not in text
        assert "Deducts deposit invoice FA-2026-00007 (2026-03-02)" in text
        assert "deducts the deposit of deposit invoice No. FA-2026-00007 of 2026-03-02" in text


def test_an_invoice_deducting_no_deposit_has_no_deposit_mention_nor_reference() -> None:
    _, final = documents()
    plain = final.model_copy(update={"deducted_deposit": None})
    assert m.deposit_mention(plain) is None
    assert m.legal_mentions(plain) == [m.late_payment(SELLER.late_penalty_rate, "fr")]
    assert valid_xml(plain).find(".//ram:InvoiceReferencedDocument", namespaces=NS) is None


@pytest.mark.parametrize(
    ("locale", "kinds"), [("fr", ["facture d'acompte", "facture"]), ("en", ["deposit invoice", "invoice"])]
)
def test_the_journal_names_the_deposit_invoice(locale: Locale, kinds: list[str]) -> None:
    deposit, final = documents()
    table = journal.rows([final, deposit], locale)
    by_number = {row[1]: row[2] for row in table[1:]}
    assert [by_number["FA-2026-00007"], by_number["FA-2026-00008"]] == kinds
