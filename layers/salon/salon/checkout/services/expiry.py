"""The scheduled sweep that ends unpaid orders at their expiry (card: 30 minutes; transfer, cheque,
purchase order: the configured days) and gives their units and promo uses back.

Pending orders are found through the sparse expiry index (one query, no scan). A card order's
PaymentIntent is cancelled first: if Stripe says it succeeded meanwhile, the order is left for the
webhook to mark paid. A sweep that stops half-way leaves the rest for the next one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from salon.checkout import deps
from salon.checkout.adapters.orders_repo import StaleOrder
from salon.checkout.services.orders import end

logger = logging.getLogger(__name__)
ORDERS_PER_SWEEP = 200
ACTOR = "expiry"


@dataclass(frozen=True)
class SweepOutcome:
    expired: int
    left: int  # due, but not ended now (being paid, or changed meanwhile)


def sweep_unpaid_orders() -> SweepOutcome:
    d = deps.get()
    now = d.clock()
    expired = left = 0
    for tenant_id, order_id in d.orders.due_expiries(now, ORDERS_PER_SWEEP):
        stored = d.orders.get(tenant_id, order_id)
        if stored is None or stored.order.state != "pending" or stored.order.hold_until > now:
            if stored is not None and stored.order.state != "pending":
                d.orders.table.update(d.orders.leave_expiry_index(tenant_id, order_id))
            continue
        intent = stored.order.payment_intent_id
        if intent and not d.stripe.cancel_intent(intent):
            left += 1
            continue
        try:
            end(tenant_id, stored, "expired", ACTOR)
        except StaleOrder:
            left += 1
            continue
        logger.info("order expired", extra={"tenant_id": tenant_id, "order_id": order_id})
        expired += 1
    return SweepOutcome(expired, left)
