"""The invoicer's callback: checkout's order events -> invoicing's invoices and credit notes.

An order is invoiced once it is sold: at placement when paid offline (transfer, cheque, purchase order;
the invoice carries the due date), when paid by card. Each refund (``order.refund_recorded``) is credited
against that invoice, referenced by the refund's id, and an offline order ended unpaid (cancelled,
expired) is credited in full. Both are idempotent (per order, per refund), so a
redelivered event issues nothing twice. A refund whose order is not invoiced yet (the card payment's
event not handled yet) invoices it first; a refund of a card order not paid yet raises, so the queue
retries it after the payment. An order paid in two instalments is invoiced by ``deposit_invoices``.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger

from salon.checkout.adapters.orders_repo import OrdersRepository
from salon.checkout.domain.orders import Order
from salon.checkout.invoicing import deps
from salon.checkout.invoicing.domain.invoice import IssuedInvoice
from salon.checkout.invoicing.services.issue import issue_credit_note, issue_invoice
from salon.checkout.services import deposit_invoices
from salon.checkout.services.deposit_invoices import NotInvoicedYet
from salon.checkout.services.invoice_lines import invoice_line, invoiceable, refund_lines
from salon.kernel.consumer import DomainEvent

logger = Logger(child=True)
INVOICED_EVENTS = frozenset(
    {
        "order.placed",
        "order.partially_paid",
        "order.paid",
        "order.refund_recorded",
        "order.cancelled",
        "order.expired",
    }
)
ENDED_UNPAID = {
    "order.cancelled": "Commande annulée / order cancelled",
    "order.expired": "Commande non payée / order unpaid",
}


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
    refunds = sorted(
        (r for r in _orders().records(tenant_id, order.order_id) if r["item_type"] == "refund"),
        key=lambda r: (str(r["created_at"]), str(r["refund_id"])),
    )
    index = next((i for i, r in enumerate(refunds) if r["refund_id"] == refund_id), None)
    if index is None:
        raise NotInvoicedYet(refund_id)
    amount, reason = int(refunds[index]["amount_cents"]), str(refunds[index]["reason"])
    if order.instalments:
        before = sum(int(r["amount_cents"]) for r in refunds[:index])
        deposit_invoices.credit_refund(tenant_id, order, refund_id, amount, before, reason)
    else:
        if not _sold(order):
            raise NotInvoicedYet(order.order_id)
        invoice = _invoice(tenant_id, order)
        lines = refund_lines(order, amount)
        issue_credit_note(
            tenant_id, invoiceable(order), invoice.invoice_id, lines, reason, reference=refund_id
        )
    logger.info("refund credited", extra={"tenant_id": tenant_id, "order_id": order.order_id})


def _invoice_instalment(tenant_id: str, order: Order, detail_type: str) -> None:
    """An order paid in two instalments: its deposit invoice, then its final invoice (none at placement,
    none when it ends unpaid: nothing was invoiced)."""
    if detail_type == "order.partially_paid":
        deposit_invoices.deposit_invoice(tenant_id, order)
    elif detail_type == "order.paid":
        deposit_invoices.final_invoice(tenant_id, order)


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
    elif order.instalments:
        _invoice_instalment(detail.tenant_id, order, event.detail_type)
    elif event.detail_type in ENDED_UNPAID and order.payment_method != "card":
        invoice = _invoice(detail.tenant_id, order)
        lines = [invoice_line(line) for line in order.lines]
        reason, reference = ENDED_UNPAID[event.detail_type], f"{order.order_id}:{order.state}"
        issue_credit_note(
            detail.tenant_id, invoiceable(order), invoice.invoice_id, lines, reason, reference=reference
        )
    elif event.detail_type == "order.paid" or (event.detail_type == "order.placed" and _sold(order)):
        _invoice(detail.tenant_id, order)
