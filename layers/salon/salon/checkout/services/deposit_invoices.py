"""Invoices of an order paid in two instalments, as French practice has them: a deposit invoice
("facture d'acompte") once its deposit is in, for the deposit's share of each VAT rate; the final
invoice once it is paid, for the whole order less the deposit invoiced (named by its number). Refunds
are credited latest money first, as they are refunded: on the final invoice up to the balance, then on
the deposit invoice. Each document is issued once (per order part, per refund and invoice).
"""

from __future__ import annotations

from salon.checkout.domain.deposits import Instalment, latest_first
from salon.checkout.domain.orders import Order
from salon.checkout.invoicing.domain.invoice import IssuedInvoice
from salon.checkout.invoicing.domain.order import InvoiceLine, LocalizedName
from salon.checkout.invoicing.services.issue import issue_credit_note, issue_invoice
from salon.checkout.services.invoice_lines import (
    REFUND_NAME,
    invoice_line,
    invoiceable,
    share_lines,
)


class NotInvoicedYet(Exception):
    """A refund of an order that is not sold yet (its payment's event is still on its way)."""


def _paid(order: Order, part: str) -> Instalment:
    instalment = order.instalment(part)
    if instalment is None or instalment.state != "paid":
        raise NotInvoicedYet(f"{order.order_id}:{part}")
    return instalment


def deposit_lines(order: Order) -> list[InvoiceLine]:
    name = LocalizedName(
        fr=f"Acompte sur la commande {order.order_id}", en=f"Deposit on order {order.order_id}"
    )
    return share_lines(order, _paid(order, "deposit").amount_cents, name, "deposit")


def deposit_invoice(tenant_id: str, order: Order) -> IssuedInvoice:
    paid = invoiceable(order).model_copy(
        update={"lines": deposit_lines(order), "paid_at": _paid(order, "deposit").paid_at, "due_at": None}
    )
    return issue_invoice(tenant_id, paid, kind="deposit_invoice")


def final_lines(order: Order, deposit_number: str) -> list[InvoiceLine]:
    """The order's lines, less the deposit invoiced (a negative line per VAT rate, so that the final
    invoice charges VAT on the balance only: the deposit invoice charged the deposit's)."""
    name = LocalizedName(fr=f"Acompte facturé ({deposit_number})", en=f"Deposit invoiced ({deposit_number})")
    deducted = [
        line.model_copy(update={"name": name, "unit_price_cents": -line.unit_price_cents})
        for line in deposit_lines(order)
    ]
    return [invoice_line(line) for line in order.lines] + deducted


def final_invoice(tenant_id: str, order: Order) -> IssuedInvoice:
    _paid(order, "balance")
    deposit = deposit_invoice(tenant_id, order)
    paid = invoiceable(order).model_copy(update={"lines": final_lines(order, deposit.number)})
    return issue_invoice(tenant_id, paid, deducted_deposit=deposit)


def credit_refund(
    tenant_id: str, order: Order, refund_id: str, amount_cents: int, refunded_before: int, reason: str
) -> None:
    """Credit one refund: on the final invoice for what it takes back of the balance, on the deposit
    invoice for the rest."""
    deposit = _paid(order, "deposit")
    balance = order.instalment("balance")
    balance_paid = balance.amount_cents if balance is not None and balance.state == "paid" else 0
    of_balance, of_deposit = latest_first(refunded_before, amount_cents, [balance_paid, deposit.amount_cents])
    source = invoiceable(order)
    if of_balance:
        final = final_invoice(tenant_id, order)
        lines = (
            final_lines(order, deposit_invoice(tenant_id, order).number)
            if of_balance >= balance_paid
            else share_lines(order, of_balance, REFUND_NAME, "refund")
        )
        issue_credit_note(tenant_id, source, final.invoice_id, lines, reason, reference=refund_id)
    if of_deposit:
        invoice = deposit_invoice(tenant_id, order)
        lines = (
            deposit_lines(order)
            if of_deposit >= deposit.amount_cents
            else share_lines(order, of_deposit, REFUND_NAME, "refund")
        )
        issue_credit_note(tenant_id, source, invoice.invoice_id, lines, reason, reference=refund_id)
