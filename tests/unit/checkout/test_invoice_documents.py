"""Reverse charge eligibility, the seller's identifiers, and the documents: the PDF's legal mentions in
each locale, the CII XML against the Factur-X EN 16931 schema, the XML embedded in the Factur-X PDF."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal

import facturx
import pytest
from localcloud.invoice_samples import FRENCH_BUYER, GERMAN_BUYER, SELLER, order
from lxml import etree
from pydantic import ValidationError
from pypdf import PdfReader
from salon.checkout.invoicing.domain import amounts, cii, facturx_pdf, pdf, reverse_charge
from salon.checkout.invoicing.domain import mentions as m
from salon.checkout.invoicing.domain.invoice import InvoiceReference, IssuedInvoice, build, number
from salon.checkout.invoicing.domain.order import Billing, InvoiceableOrder
from salon.checkout.invoicing.domain.seller import Seller
from salon.kernel.values import Locale

ISSUED = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # already 1 January 2027 in Paris


def issue(
    source: InvoiceableOrder, *, rc: bool = False, credited: InvoiceReference | None = None
) -> IssuedInvoice:
    return build(
        invoice_id="inv_1",
        tenant_id="t1",
        sequence_number=number("FA", 2027, 42),
        kind="credit_note" if credited else "invoice",
        order=source,
        seller=SELLER,
        amounts=amounts.compute(source.lines, source.vat_mode, reverse_charge=rc),
        reverse_charge=rc,
        issued_at=ISSUED,
        credited=credited,
        reason="annulation" if credited else None,
    )


def text_of(document: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(document)).pages)


def test_numbers_are_prefix_year_and_five_digits() -> None:
    assert number("FA", 2026, 7) == "FA-2026-00007"


def test_the_issue_date_and_its_year_are_those_of_france() -> None:
    assert issue(order()).issue_date.isoformat() == "2027-01-01"


@pytest.mark.parametrize(
    ("billing", "expected"),
    [
        (GERMAN_BUYER, "DE136695976"),
        (FRENCH_BUYER, None),  # same country as the seller: French VAT
        (GERMAN_BUYER.model_copy(update={"vat_number": None}), None),  # not a business with a number
        (GERMAN_BUYER.model_copy(update={"vat_number": "DE136695977"}), None),  # bad checksum
        (
            GERMAN_BUYER.model_copy(update={"country": "CH", "vat_number": "DE136695976"}),
            None,
        ),  # outside the EU
        (GERMAN_BUYER.model_copy(update={"country": "AT"}), None),  # a German number for an Austrian address
    ],
)
def test_reverse_charge_candidates(billing: Billing, expected: str | None) -> None:
    assert reverse_charge.candidate(billing, "FR") == expected


def test_a_vat_number_problem_is_named() -> None:
    assert (
        reverse_charge.vat_number_problem("DE", "DE136695977")
        == "not a valid EU VAT number (format and checksum)"
    )
    assert reverse_charge.vat_number_problem("GR", "EL094259216") is None
    assert reverse_charge.vat_number_problem("DE", None) is None


@pytest.mark.parametrize("field", ["siren", "siret", "vat_number"])
def test_the_seller_identifiers_are_checked(field: str) -> None:
    bad = {"siren": "732829321", "siret": "73282932000075", "vat_number": "FR00732829320"}[field]
    with pytest.raises(ValidationError) as raised:
        Seller.model_validate(SELLER.model_dump() | {field: bad})
    assert raised.value.errors()[0]["loc"] == (field,)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        (
            "fr",
            [
                "FACTURE N° FA-2027-00042",
                "Date d'émission : 01/01/2027",
                "Date de la vente : 20/11/2026",
                "SIREN 732829320 · SIRET 73282932000074",
                "N° TVA FR44732829320",
                "Atelier Dupré SARL",
                "N° TVA FR40303265045",
                "Bon de commande BC-2026-118",
                "Forfait exposant 1 1 250,00 € 20 % 1 250,00 €",
                "Total HT 1 629,99 €",
                "TVA 316,00 €",
                "Total TTC 1 945,99 €",
                "indemnité forfaitaire",
                "40 €",
                "12 %",
            ],
        ),
        (
            "en",
            ["INVOICE No. FA-2027-00042", "Total excl. VAT €1,629.99", "Total incl. VAT €1,945.99", "40 €"],
        ),
    ],
)
def test_the_pdf_speaks_the_buyers_language_with_the_legal_mentions(
    locale: Locale, expected: list[str]
) -> None:
    text = text_of(pdf.render(issue(order(locale=locale, paid=False))))
    for fragment in expected:
        assert fragment in text
    assert "Autoliquidation" not in text
    assert "Date d'échéance : 31/01/2027" in text if locale == "fr" else "Due date: 2027-01-31" in text


def test_a_reverse_charged_invoice_says_autoliquidation_and_charges_no_vat() -> None:
    invoice = issue(order(billing=GERMAN_BUYER), rc=True)
    text = text_of(pdf.render(invoice))
    assert "Autoliquidation" in text
    assert "DE136695976" in text
    assert invoice.vat_cents == 0 and invoice.gross_cents == invoice.net_cents


@pytest.mark.parametrize("rc", [False, True])
@pytest.mark.parametrize("vat_mode", ["excluding", "including"])
def test_the_cii_xml_is_valid_against_the_en16931_schema(rc: bool, vat_mode: str) -> None:
    source = order(
        billing=GERMAN_BUYER if rc else FRENCH_BUYER,
        vat_mode="excluding" if vat_mode == "excluding" else "including",
    )
    xml = cii.render(issue(source, rc=rc))
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    root = etree.fromstring(xml)
    ns = cii.NSMAP
    assert (
        root.findtext(".//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID", namespaces=ns)
        == cii.EN16931
    )
    grand_totals = {(False, "excluding"): "1945.99", (True, "excluding"): "1629.99"}
    grand_totals |= {(False, "including"): "1629.99", (True, "including"): "1365.90"}
    assert root.findtext(".//ram:GrandTotalAmount", namespaces=ns) == grand_totals[(rc, vat_mode)]
    assert (
        root.findtext(
            ".//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:CategoryCode", namespaces=ns
        )
        == "AE"
    ) is rc


def test_a_credit_note_is_type_381_and_references_its_invoice() -> None:
    credited = InvoiceReference(
        invoice_id="inv_0", number="FA-2026-00003", issue_date=datetime(2026, 11, 20).date()
    )
    note = issue(order(), credited=credited)
    xml = cii.render(note)
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    root = etree.fromstring(xml)
    assert root.findtext(".//rsm:ExchangedDocument/ram:TypeCode", namespaces=cii.NSMAP) == "381"
    assert (
        root.findtext(".//ram:InvoiceReferencedDocument/ram:IssuerAssignedID", namespaces=cii.NSMAP)
        == "FA-2026-00003"
    )
    notes = root.findall(".//rsm:ExchangedDocument/ram:IncludedNote/ram:Content", namespaces=cii.NSMAP)
    assert notes[0].text == "Motif: annulation"
    text = text_of(pdf.render(note))
    assert "AVOIR N° FA-2027-00042" in text
    assert "Avoir sur la facture FA-2026-00003 (20/11/2026)" in text


def test_a_schema_breaking_xml_is_refused() -> None:
    root = etree.fromstring(cii.render(issue(order())))
    totals = root.find(".//ram:SpecifiedTradeSettlementHeaderMonetarySummation", namespaces=cii.NSMAP)
    assert totals is not None
    totals.getparent().remove(totals)
    with pytest.raises(Exception, match="not valid against the official XML Schema"):
        facturx.xml_check_xsd(etree.tostring(root), flavor="factur-x", level="en16931")


def test_the_facturx_pdf_embeds_the_xml_and_declares_pdfa3() -> None:
    invoice = issue(order())
    document = facturx_pdf.render(invoice)
    filename, xml = facturx.get_facturx_xml_from_pdf(document)
    assert filename == "factur-x.xml"
    assert xml == cii.render(invoice)
    metadata = PdfReader(io.BytesIO(document)).xmp_metadata
    assert metadata is not None
    raw = metadata.rdf_root.toxml()
    assert "pdfaid" in raw
    assert ">3</pdfaid:part>" in raw or 'pdfaid:part="3"' in raw


def test_amounts_are_written_the_way_each_locale_writes_them() -> None:
    assert [m.amount(Decimal(v), "fr") for v in ("1234.5", "-100", "0.1234")] == [
        "1 234,50 €",
        "-100,00 €",
        "0,1234 €",
    ]
    assert [m.amount(Decimal(v), "en") for v in ("1234.5", "-100")] == ["€1,234.50", "-€100.00"]
    assert (m.percent(Decimal("5.5"), "fr"), m.percent(Decimal("20.00"), "en")) == ("5,5", "20")
