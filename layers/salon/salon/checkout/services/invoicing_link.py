"""The one place where checkout hands orders to invoicing (``salon.checkout.invoicing``).

``invoiceable`` maps an order to the fields of invoicing's ``InvoiceableOrder``. Invoicing is issued
after the order's own transaction: an invoice when a card order is paid or an offline order is
placed, a credit note for each refund.
"""

from __future__ import annotations

import logging
from typing import Any

from salon.checkout.domain.orders import Order, OrderLine

logger = logging.getLogger(__name__)
VAT_MODES = {"excl": "excluding", "incl": "including"}


def _line(line: OrderLine) -> dict[str, Any]:
    return {
        "product_id": line.product_id or "discount",
        "name": line.name.model_dump(exclude_none=True),
        "quantity": line.quantity,
        "unit_price_cents": line.unit_price_cents,
        "vat_rate": line.vat_rate,
    }


def invoiceable(order: Order) -> dict[str, Any]:
    """The order as invoicing reads it (``InvoiceableOrder``'s fields)."""
    billing = order.billing
    return {
        "order_id": order.order_id,
        "event_id": order.event_id,
        "registration_id": order.registration_id,
        "currency": order.currency,
        "vat_mode": VAT_MODES[order.vat_mode],
        "lines": [_line(line) for line in order.lines],
        "billing": billing.model_dump(exclude_none=True),
        "buyer_locale": order.buyer_locale,
        "payment_method": order.payment_method,
        "placed_at": order.placed_at,
        "paid_at": order.paid_at,
        "due_at": order.due_at,
    }


def invoice(tenant_id: str, order: Order) -> dict[str, Any]:
    """The order is to be invoiced (card: paid; offline: placed)."""
    logger.info("order to invoice", extra={"tenant_id": tenant_id, "order_id": order.order_id})
    return invoiceable(order)


def credit(tenant_id: str, order: Order, refund_id: str, amount_cents: int, reason: str) -> dict[str, Any]:
    """A refund of ``amount_cents`` (gross) is to be credited against the order's invoice."""
    logger.info(
        "refund to credit",
        extra={
            "tenant_id": tenant_id,
            "order_id": order.order_id,
            "refund_id": refund_id,
            "amount": amount_cents,
        },
    )
    return invoiceable(order)
