"""The invoice as UN/CEFACT Cross Industry Invoice XML, Factur-X profile EN 16931 (the XML Factur-X
embeds in the PDF). Built from the issued invoice alone, so the same invoice always gives the same XML.

A discount line (negative amount) is written as a negative quantity at a positive net price (EN 16931
BR-27: a price is never negative).

A deposit invoice is type 386 (prepayment invoice). The final invoice of an order paid in two
instalments deducts the deposit invoiced with a negative line per VAT rate, and names the deposit
invoice as its preceding invoice (BG-3). Not as a paid amount (BT-113, ``TotalPrepaidAmount``):
that deducts a payment from the amount due but leaves the VAT breakdown on the whole order, so the
deposit's VAT, already charged by the deposit invoice, would be charged twice. BT-113 stays what was
paid of this document's own total (all of it when paid at issue)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from lxml import etree
from lxml.builder import ElementMaker

from salon.checkout.invoicing.domain import mentions
from salon.checkout.invoicing.domain.invoice import IssuedInvoice, IssuedLine
from salon.checkout.invoicing.domain.order import Billing
from salon.checkout.invoicing.domain.seller import Seller

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
NSMAP = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}
EN16931 = "urn:cen.eu:en16931:2017"
TYPE_CODES = {"invoice": "380", "deposit_invoice": "386", "credit_note": "381"}  # UNTDID 1001
PAYMENT_MEANS = {"card": "48", "transfer": "30", "cheque": "20", "purchase_order": "30"}  # UNTDID 4461
SIREN_SCHEME = "0002"  # ISO 6523 ICD of the French SIREN

rsm = ElementMaker(namespace=RSM, nsmap=NSMAP)
ram = ElementMaker(namespace=RAM, nsmap=NSMAP)
udt = ElementMaker(namespace=UDT, nsmap=NSMAP)
qdt = ElementMaker(namespace=QDT, nsmap=NSMAP)


def render(invoice: IssuedInvoice) -> bytes:
    root = rsm.CrossIndustryInvoice(
        rsm.ExchangedDocumentContext(ram.GuidelineSpecifiedDocumentContextParameter(ram.ID(EN16931))),
        rsm.ExchangedDocument(
            ram.ID(invoice.number),
            ram.TypeCode(TYPE_CODES[invoice.kind]),
            ram.IssueDateTime(udt.DateTimeString(_day(invoice.issue_date), format="102")),
            *[ram.IncludedNote(ram.Content(text)) for text in _notes(invoice)],
        ),
        rsm.SupplyChainTradeTransaction(
            *[_line(index, line, invoice) for index, line in enumerate(invoice.lines, start=1)],
            _agreement(invoice),
            ram.ApplicableHeaderTradeDelivery(
                ram.ActualDeliverySupplyChainEvent(
                    ram.OccurrenceDateTime(udt.DateTimeString(_day(invoice.sale_date), format="102"))
                )
            ),
            _settlement(invoice),
        ),
    )
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _line(index: int, line: IssuedLine, invoice: IssuedInvoice) -> etree._Element:
    quantity = line.quantity if line.net_cents >= 0 else -line.quantity
    return ram.IncludedSupplyChainTradeLineItem(
        ram.AssociatedDocumentLineDocument(ram.LineID(str(index))),
        ram.SpecifiedTradeProduct(ram.SellerAssignedID(line.product_id), ram.Name(line.name)),
        ram.SpecifiedLineTradeAgreement(
            ram.NetPriceProductTradePrice(ram.ChargeAmount(_decimal(abs(line.unit_price_net))))
        ),
        ram.SpecifiedLineTradeDelivery(ram.BilledQuantity(str(quantity), unitCode="C62")),
        ram.SpecifiedLineTradeSettlement(
            ram.ApplicableTradeTax(
                ram.TypeCode("VAT"),
                ram.CategoryCode(_category(line.vat_rate, invoice.reverse_charge)),
                ram.RateApplicablePercent(_decimal(line.vat_rate)),
            ),
            ram.SpecifiedTradeSettlementLineMonetarySummation(ram.LineTotalAmount(_cents(line.net_cents))),
        ),
    )


def _agreement(invoice: IssuedInvoice) -> etree._Element:
    parts = [
        ram.SellerTradeParty(*_seller(invoice.seller)),
        ram.BuyerTradeParty(*_buyer(invoice.buyer)),
    ]
    if invoice.buyer.purchase_order:
        parts.append(ram.BuyerOrderReferencedDocument(ram.IssuerAssignedID(invoice.buyer.purchase_order)))
    return ram.ApplicableHeaderTradeAgreement(*parts)


def _seller(seller: Seller) -> list[etree._Element]:
    return [
        ram.Name(seller.legal_name),
        ram.SpecifiedLegalOrganization(ram.ID(seller.siren, schemeID=SIREN_SCHEME)),
        _address(seller.postcode, seller.address_lines, seller.city, seller.country),
        ram.SpecifiedTaxRegistration(ram.ID(seller.vat_number, schemeID="VA")),
    ]


def _buyer(buyer: Billing) -> list[etree._Element]:
    parts = [
        ram.Name(buyer.company_name),
        _address(buyer.postcode, buyer.address_lines, buyer.city, buyer.country),
    ]
    if buyer.vat_number:
        parts.append(ram.SpecifiedTaxRegistration(ram.ID(buyer.vat_number, schemeID="VA")))
    return parts


def _address(postcode: str, lines: list[str], city: str, country: str) -> etree._Element:
    named = [ram.LineOne, ram.LineTwo, ram.LineThree]
    return ram.PostalTradeAddress(
        ram.PostcodeCode(postcode),
        *[make(text) for make, text in zip(named, lines, strict=False)],
        ram.CityName(city),
        ram.CountryID(country),
    )


def _settlement(invoice: IssuedInvoice) -> etree._Element:
    means = ram.SpecifiedTradeSettlementPaymentMeans(ram.TypeCode(PAYMENT_MEANS[invoice.payment_method]))
    if invoice.seller.iban and invoice.payment_method != "card":
        means.append(ram.PayeePartyCreditorFinancialAccount(ram.IBANID(invoice.seller.iban)))
    taxes = []
    for rate in invoice.vat:
        tax = [ram.CalculatedAmount(_cents(rate.vat_cents)), ram.TypeCode("VAT")]
        if rate.category == "AE":
            tax.append(ram.ExemptionReason("Autoliquidation"))
        tax += [ram.BasisAmount(_cents(rate.base_cents)), ram.CategoryCode(rate.category)]
        if rate.category == "AE":
            tax.append(ram.ExemptionReasonCode("VATEX-EU-AE"))
        tax.append(ram.RateApplicablePercent(_decimal(rate.rate)))
        taxes.append(ram.ApplicableTradeTax(*tax))
    terms = ram.SpecifiedTradePaymentTerms(
        ram.Description(mentions.late_payment(invoice.seller.late_penalty_rate, invoice.locale))
    )
    if invoice.due_date is not None:
        terms.append(ram.DueDateDateTime(udt.DateTimeString(_day(invoice.due_date), format="102")))
    prepaid = invoice.gross_cents if invoice.paid_at is not None and invoice.kind != "credit_note" else 0
    summation = ram.SpecifiedTradeSettlementHeaderMonetarySummation(
        ram.LineTotalAmount(_cents(invoice.net_cents)),
        ram.TaxBasisTotalAmount(_cents(invoice.net_cents)),
        ram.TaxTotalAmount(_cents(invoice.vat_cents), currencyID=invoice.currency),
        ram.GrandTotalAmount(_cents(invoice.gross_cents)),
        ram.TotalPrepaidAmount(_cents(prepaid)),
        ram.DuePayableAmount(_cents(invoice.gross_cents - prepaid)),
    )
    parts = [ram.InvoiceCurrencyCode(invoice.currency), means, *taxes, terms, summation]
    referenced = invoice.credited_invoice or invoice.deducted_deposit
    if referenced is not None:
        parts.append(
            ram.InvoiceReferencedDocument(
                ram.IssuerAssignedID(referenced.number),
                ram.FormattedIssueDateTime(qdt.DateTimeString(_day(referenced.issue_date), format="102")),
            )
        )
    return ram.ApplicableHeaderTradeSettlement(*parts)


def _notes(invoice: IssuedInvoice) -> list[str]:
    reason = [f"{mentions.LABELS[invoice.locale]['reason']}: {invoice.reason}"] if invoice.reason else []
    return reason + mentions.legal_mentions(invoice)


def _category(rate: Decimal, reverse_charge: bool) -> str:
    return "AE" if reverse_charge else ("Z" if rate == 0 else "S")


def _cents(cents: int) -> str:
    return f"{Decimal(cents) / 100:.2f}"


def _decimal(value: Decimal) -> str:
    return f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}"


def _day(value: date) -> str:
    return value.strftime("%Y%m%d")
