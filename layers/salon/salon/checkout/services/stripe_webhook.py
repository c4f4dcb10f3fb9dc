"""Stripe's webhook: the only way a card order becomes paid (or, paid in two instalments, partially paid
by its deposit's PaymentIntent, then paid by its balance's).

The signature is checked on the raw body (300 s tolerance) before anything is read. Each event names
its tenant and order in the PaymentIntent's metadata (copied by Stripe onto its charges); its id is
stored with the change it causes, in the same transaction, so a replay changes nothing (ids are kept
30 days, beyond Stripe's 3 days of retries). Events of another Stripe account, of objects not ours or
of types we do not use are acknowledged and ignored.

Out of order: ``payment_intent.created`` never changes an order, so it may come after the payment; a
refund that comes before its payment is stored on the still pending order, and the payment then ends
it ``refunded`` at once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from salon.checkout import deps
from salon.checkout.adapters.orders_repo import StaleOrder, Stored
from salon.checkout.adapters.stripe_gateway import stripe_keys, verified_event
from salon.checkout.domain.orders import Order, card_due, refunded_on
from salon.checkout.services.payments import credit, payment_record, settle
from salon.kernel.dynamo import TransactionCancelled

logger = logging.getLogger(__name__)
Outcome = Literal["processed", "replayed", "ignored"]
ACTOR = "stripe"


class Received(BaseModel):
    model_config = ConfigDict(defer_build=True)

    received: bool = True
    outcome: Outcome


@dataclass(frozen=True)
class Target:
    tenant_id: str
    stored: Stored
    obj: dict[str, Any]


def _target(event: dict[str, Any]) -> Target | None:
    obj = (event.get("data") or {}).get("object") or {}
    metadata = obj.get("metadata") or {}
    tenant_id, order_id = metadata.get("tenant_id"), metadata.get("order_id")
    if not isinstance(tenant_id, str) or not isinstance(order_id, str):
        return None
    stored = deps.get().orders.get(tenant_id, order_id)
    intent_id = obj.get("id") if obj.get("object") == "payment_intent" else obj.get("payment_intent")
    if stored is None or not intent_id or intent_id not in intents_of(stored.order):
        return None
    return Target(tenant_id, stored, obj)


def intents_of(order: Order) -> set[str]:
    """The order's PaymentIntents: for its total or deposit, and for its balance."""
    return {i for i in (order.payment_intent_id, *(x.payment_intent_id for x in order.instalments)) if i}


def receive(payload: bytes, signature: str | None) -> Received:
    """Verify and process one webhook delivery (``BadSignature`` when it is not Stripe's)."""
    event = verified_event(payload, signature)
    account = event.get("account")
    if account is not None and account != stripe_keys().account_id:
        return Received(outcome="ignored")
    target = _target(event)
    event_id = str(event.get("id", ""))
    if target is None or not event_id.startswith("evt_"):
        return Received(outcome="ignored")
    outcome = _process(str(event.get("type", "")), event_id, target)
    logger.info(
        "stripe event",
        extra={
            "tenant_id": target.tenant_id,
            "order_id": target.stored.order.order_id,
            "stripe_event_id": event_id,
            "type": event.get("type"),
            "outcome": outcome,
        },
    )
    return Received(outcome=outcome)


def _process(kind: str, event_id: str, target: Target, attempts: int = 3) -> Outcome:
    d = deps.get()
    for _ in range(attempts):
        stored = d.orders.get(target.tenant_id, target.stored.order.order_id) or target.stored
        seen = d.orders.stripe_event_put(
            target.tenant_id, event_id, {"type": kind, "order_id": stored.order.order_id}, d.clock()
        )
        try:
            changed = _apply(kind, event_id, Target(target.tenant_id, stored, target.obj), seen)
        except StaleOrder:
            continue  # another event of the same order was processed meanwhile: read it again
        except TransactionCancelled as cancelled:
            if d.orders.stripe_event_seen(target.tenant_id, event_id):
                return "replayed"
            raise cancelled
        if not changed:
            return "processed" if d.orders.record_stripe_event(seen) else "replayed"
        return "processed"
    raise StaleOrder(target.stored.order.order_id)


def _apply(kind: str, event_id: str, target: Target, seen: Any) -> bool:
    """Change the order for the event (with ``seen`` in the same transaction); False if nothing to change."""
    order, obj = target.stored.order, target.obj
    if kind == "payment_intent.succeeded" and order.state in ("expired", "cancelled"):
        # Paid after its seats were given back: the money needs an organiser's refund.
        logger.warning(
            "card payment of an ended order", extra={"order_id": order.order_id, "state": order.state}
        )
        return False
    due = card_due(order, str(obj.get("id"))) if kind == "payment_intent.succeeded" else None
    if due is not None:
        amount = int(obj.get("amount_received") or obj.get("amount") or 0)
        if amount != due or str(obj.get("currency", "")).upper() != order.currency.upper():
            logger.warning(
                "stripe amount differs", extra={"order_id": order.order_id, "stripe_event_id": event_id}
            )
            return False
        intent_id = str(obj["id"])
        record = payment_record(target.tenant_id, order, intent_id, amount, event_id)
        settle(target.tenant_id, target.stored, amount, record, ACTOR, seen)
        return True
    if kind == "charge.refunded" and order.state in ("pending", "partially_paid", "paid"):
        refunded = int(obj.get("amount_refunded") or 0)
        # refunds made through the API are already counted
        extra = refunded - refunded_on(order, str(obj.get("payment_intent")))
        if extra <= 0:
            return False
        refund_id = f"ref_{event_id}"
        record = deps.get().orders.refund_put(
            target.tenant_id,
            order.order_id,
            refund_id,
            {"amount_cents": extra, "reason": "refunded in Stripe", "stripe_event_id": event_id},
            deps.get().clock(),
        )
        credit(target.tenant_id, target.stored, extra, record, refund_id, ACTOR, seen)
        return True
    return False
