"""The invoicer's callback: checkout's order events -> invoicing's invoices and credit notes.

An order is invoiced once it is sold: at placement when paid offline (transfer, cheque, purchase order;
the invoice carries the due date), when paid by card. Each refund (``order.refund_recorded``) is credited
against that invoice, referenced by the refund's id, and an offline order ended unpaid (cancelled,
expired) is credited in full. Both are idempotent (per order, per refund), so a
redelivered event issues nothing twice. A refund whose order is not invoiced yet (the card payment's
event not handled yet) invoices it first; a refund of a card order not paid yet raises, so the queue
retries it after the payment.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from aws_lambda_powertools import Logger

from salon.checkout.adapters.orders_repo import OrdersRepository
from salon.checkout.domain.orders import Order, OrderLine
from salon.checkout.invoicing import deps
from salon.checkout.invoicing.domain.amounts import HUNDRED, round_cents
from salon.checkout.invoicing.domain.invoice import IssuedInvoice
from salon.checkout.invoicing.domain.order import InvoiceableOrder, InvoiceLine, LocalizedName
from salon.checkout.invoicing.services.issue import issue_credit_note, issue_invoice
from salon.kernel.consumer import DomainEvent

logger = Logger(child=True)
VAT_MODES = {"excl": "excluding", "incl": "including"}
INVOICED_EVENTS = frozenset(
    {"order.placed", "order.paid", "order.refund_recorded", "order.cancelled", "order.expired"}
)
ENDED_UNPAID = {
    "order.cancelled": "Commande annulée / order cancelled",
    "order.expired": "Commande non payée / order unpaid",
}
REFUND_NAME = LocalizedName(fr="Remboursement", en="Refund")
DISCOUNT_NAME = LocalizedName(fr="Remise", en="Discount")


class NotInvoicedYet(Exception):
    """A refund of an order that is not sold yet (its payment's event is still on its way)."""


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
            product_id="refund",
            name=REFUND_NAME,
            quantity=1,
            unit_price_cents=share
            if order.vat_mode == "incl"
            else round_cents(share * HUNDRED / (HUNDRED + rate)),
            vat_rate=rate,
        )
        for rate, share in sorted(shares.items())
        if share > 0
    ]


def _orders() -> OrdersRepository:
    """Checkout's orders, without the rest of checkout's adapters (its Stripe client)."""
    return OrdersRepository(deps.get().platform.table)


def _sold(order: Order) -> bool:
    return order.payment_method != "card" or order.paid_at is not None


def _invoice(tenant_id: str, order: Order) -> IssuedInvoice:
    issued = issue_invoice(tenant_id, invoiceable(order))
    logger.info(
        "order invoiced",
        extra={"tenant_id": tenant_id, "order_id": order.order_id, "invoice_id": issued.invoice_id},
    )
    return issued


def _credit(tenant_id: str, order: Order, refund_id: str) -> None:
    if not _sold(order):
        raise NotInvoicedYet(order.order_id)
    refund = next(
        (r for r in _orders().records(tenant_id, order.order_id) if r.get("refund_id") == refund_id),
        None,
    )
    if refund is None:
        raise NotInvoicedYet(refund_id)
    invoice = _invoice(tenant_id, order)
    lines = refund_lines(order, int(refund["amount_cents"]))
    note = issue_credit_note(
        tenant_id, invoiceable(order), invoice.invoice_id, lines, str(refund["reason"]), reference=refund_id
    )
    logger.info(
        "refund credited",
        extra={"tenant_id": tenant_id, "order_id": order.order_id, "invoice_id": note.invoice_id},
    )


def handle(event: DomainEvent) -> None:
    detail = event.detail
    if event.detail_type not in INVOICED_EVENTS or detail.order_id is None:
        return
    stored = _orders().get(detail.tenant_id, detail.order_id)
    if stored is None:
        return
    order = stored.order
    if event.detail_type == "order.refund_recorded" and detail.refund_id is not None:
        _credit(detail.tenant_id, order, detail.refund_id)
    elif event.detail_type in ENDED_UNPAID and order.payment_method != "card":
        invoice = _invoice(detail.tenant_id, order)
        lines = [invoice_line(line) for line in order.lines]
        reason, reference = ENDED_UNPAID[event.detail_type], f"{order.order_id}:{order.state}"
        issue_credit_note(
            detail.tenant_id, invoiceable(order), invoice.invoice_id, lines, reason, reference=reference
        )
    elif event.detail_type == "order.paid" or (event.detail_type == "order.placed" and _sold(order)):
        _invoice(detail.tenant_id, order)
