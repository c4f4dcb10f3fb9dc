"""Orders as invoicing reads them: their lines, and shares of their amount (a refund, a deposit)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from salon.checkout.domain.orders import Order, OrderLine
from salon.checkout.invoicing.domain.amounts import HUNDRED, round_cents
from salon.checkout.invoicing.domain.order import InvoiceableOrder, InvoiceLine, LocalizedName

VAT_MODES = {"excl": "excluding", "incl": "including"}
REFUND_NAME = LocalizedName(fr="Remboursement", en="Refund")
DISCOUNT_NAME = LocalizedName(fr="Remise", en="Discount")


def invoice_line(line: OrderLine) -> InvoiceLine:
    """An order line as invoicing reads it; a name in one locale only is used for both."""
    fr, en = line.name.fr or line.name.en, line.name.en or line.name.fr
    name = LocalizedName(fr=fr, en=en) if fr and en else DISCOUNT_NAME
    return InvoiceLine(
        product_id=line.product_id or "discount",
        name=name,
        quantity=line.quantity,
        unit_price_cents=line.unit_price_cents,
        vat_rate=line.vat_rate,
    )


def invoiceable(order: Order) -> InvoiceableOrder:
    billing = order.billing
    return InvoiceableOrder.model_validate(
        {
            "order_id": order.order_id,
            "event_id": order.event_id,
            "registration_id": order.registration_id,
            "currency": order.currency,
            "vat_mode": VAT_MODES[order.vat_mode],
            "lines": [invoice_line(line) for line in order.lines],
            "billing": billing.model_dump(exclude_none=True),
            "buyer_locale": order.buyer_locale,
            "payment_method": order.payment_method,
            "placed_at": order.placed_at,
            "paid_at": order.paid_at,
            "due_at": order.due_at,
        }
    )


def refund_lines(order: Order, amount_cents: int) -> list[InvoiceLine]:
    """What a refund of ``amount_cents`` (gross) credits: the order's lines when it is all of it, else
    one line per VAT rate, sharing the amount as the order's gross is shared (the rounding cent going to
    the largest rate), at prices in the order's VAT mode."""
    if amount_cents >= order.total_cents:
        return [invoice_line(line) for line in order.lines]
    return share_lines(order, amount_cents, REFUND_NAME, "refund")


def share_lines(order: Order, amount_cents: int, name: LocalizedName, product_id: str) -> list[InvoiceLine]:
    """``amount_cents`` (gross) as one line per VAT rate, shared as the order's gross is (the rounding
    cent going to the largest rate), at prices in the order's VAT mode."""
    gross_of: dict[Decimal, Decimal] = defaultdict(Decimal)
    for line in order.lines:
        gross_of[line.vat_rate] += line.amount_cents * (
            1 if order.vat_mode == "incl" else 1 + line.vat_rate / HUNDRED
        )
    whole = sum(gross_of.values())
    shares = {rate: round_cents(Decimal(amount_cents) * gross / whole) for rate, gross in gross_of.items()}
    largest = max(gross_of, key=lambda rate: gross_of[rate])
    shares[largest] += amount_cents - sum(shares.values())
    return [
        InvoiceLine(
            product_id=product_id,
            name=name,
            quantity=1,
            unit_price_cents=share
            if order.vat_mode == "incl"
            else round_cents(share * HUNDRED / (HUNDRED + rate)),
            vat_rate=rate,
        )
        for rate, share in sorted(shares.items())
        if share > 0
    ]
