"""An issued invoice, deposit invoice or credit note: everything its documents show, fixed at issue
(never changed). A deposit invoice ("facture d'acompte") invoices the deposit of an order paid in two
instalments; the order's final invoice deducts it and names it (``deducted_deposit``).

Numbers are ``PREFIX-YYYY-NNNNN``: one continuous sequence per tenant and calendar year (of the issue
date in France), shared by every kind of document, so that the series proves nothing is missing.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from salon.checkout.invoicing.domain.amounts import Amounts, VatCategory
from salon.checkout.invoicing.domain.order import Billing, InvoiceableOrder, PaymentMethod, VatMode
from salon.checkout.invoicing.domain.seller import Seller
from salon.kernel.values import Locale

InvoiceKind = Literal["invoice", "deposit_invoice"]
Kind = Literal[InvoiceKind, "credit_note"]
PARIS = ZoneInfo("Europe/Paris")
SEQUENCE_DIGITS = 5


def issue_date(at: datetime) -> date:
    """The legal date of a document issued at ``at``: the day in France."""
    return at.astimezone(PARIS).date()


def number(prefix: str, year: int, sequence: int) -> str:
    return f"{prefix}-{year}-{sequence:0{SEQUENCE_DIGITS}d}"


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class IssuedLine(Frozen):
    product_id: str
    name: str  # in the buyer's locale
    quantity: int
    unit_price_net: Decimal  # excluding VAT, currency units
    vat_rate: Decimal
    net_cents: int


class VatTotal(Frozen):
    rate: Decimal
    category: VatCategory
    base_cents: int
    vat_cents: int


class InvoiceReference(Frozen):
    """Another document of the order: the invoice a credit note credits, the deposit invoice a final
    invoice deducts."""

    invoice_id: str
    number: str
    issue_date: date


class IssuedInvoice(Frozen):
    invoice_id: str
    tenant_id: str
    number: str
    kind: Kind
    order_id: str
    event_id: str
    registration_id: str
    currency: str
    locale: Locale
    vat_mode: VatMode
    issued_at: datetime
    issue_date: date
    sale_date: date
    due_date: date | None  # None when paid at issue
    paid_at: datetime | None
    payment_method: PaymentMethod
    seller: Seller
    buyer: Billing
    lines: tuple[IssuedLine, ...]
    vat: tuple[VatTotal, ...]
    net_cents: int
    vat_cents: int
    gross_cents: int
    reverse_charge: bool
    credited_invoice: InvoiceReference | None = None
    reason: str | None = None
    deducted_deposit: InvoiceReference | None = None

    @property
    def year(self) -> int:
        return self.issue_date.year


def build(
    *,
    invoice_id: str,
    tenant_id: str,
    sequence_number: str,
    kind: Kind,
    order: InvoiceableOrder,
    seller: Seller,
    amounts: Amounts,
    reverse_charge: bool,
    issued_at: datetime,
    credited: InvoiceReference | None = None,
    reason: str | None = None,
    deducted_deposit: InvoiceReference | None = None,
) -> IssuedInvoice:
    issued_on = issue_date(issued_at)
    paid = order.paid_at is not None or kind == "credit_note"
    due = (
        None
        if paid
        else (
            issue_date(order.due_at)
            if order.due_at
            else issued_on + timedelta(days=seller.payment_terms_days)
        )
    )
    return IssuedInvoice(
        invoice_id=invoice_id,
        tenant_id=tenant_id,
        number=sequence_number,
        kind=kind,
        order_id=order.order_id,
        event_id=order.event_id,
        registration_id=order.registration_id,
        currency=order.currency,
        locale=order.buyer_locale,
        vat_mode=order.vat_mode,
        issued_at=issued_at,
        issue_date=issued_on,
        sale_date=issue_date(order.sale_date()),
        due_date=due,
        paid_at=order.paid_at,
        payment_method=order.payment_method,
        seller=seller,
        buyer=order.billing,
        lines=tuple(
            IssuedLine(
                product_id=a.line.product_id,
                name=a.line.name.of(order.buyer_locale),
                quantity=a.line.quantity,
                unit_price_net=a.unit_net,
                vat_rate=Decimal(0) if reverse_charge else a.line.vat_rate,
                net_cents=a.net_cents,
            )
            for a in amounts.lines
        ),
        vat=tuple(
            VatTotal(rate=r.rate, category=r.category, base_cents=r.base_cents, vat_cents=r.vat_cents)
            for r in amounts.rates
        ),
        net_cents=amounts.net_cents,
        vat_cents=amounts.vat_cents,
        gross_cents=amounts.gross_cents,
        reverse_charge=reverse_charge,
        credited_invoice=credited,
        reason=reason,
        deducted_deposit=deducted_deposit,
    )
