"""Money in and out of an order: card payments (from Stripe's webhook), payments the organiser records
(transfer, cheque, purchase order; partial ones add up), and refunds (by card through Stripe, otherwise
recorded). An order becomes ``paid`` when what it received reaches its total (``partially_paid`` once
its deposit is in, when paid in two instalments), and ``refunded`` when all of it went back. Being
(partially) paid gives the company the meetings of its packages; a full refund takes them back and
releases its units.
"""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict

from salon.checkout import deps
from salon.checkout.adapters.orders_repo import StaleOrder, Stored
from salon.checkout.domain.deposits import covered, latest_first
from salon.checkout.domain.orders import REFUNDABLE, Order, OrderStatus, card_payments, state_after_payment
from salon.checkout.domain.payments import PaymentInput, RefundInput
from salon.checkout.services.orders import announcement, refund_announcement, visible_order
from salon.kernel.caller import Caller, require
from salon.kernel.dynamo import Check, Put, Update
from salon.kernel.errors import Conflict, FieldError, InvalidTransition, ValidationFailed
from salon.kernel.idempotency import idempotent
from salon.kernel.principal import CONFIGURE
from salon.kernel.values import iso


class RecordPayment(BaseModel):
    model_config = ConfigDict(defer_build=True)

    order_id: str
    payment: PaymentInput


class Refund(BaseModel):
    model_config = ConfigDict(defer_build=True)

    order_id: str
    refund: RefundInput


def settle(
    tenant_id: str, stored: Stored, amount_cents: int, record: Put, actor: str, *also: Put | Update | Check
) -> Order:
    """Add a payment to the order: ``partially_paid`` once it covers the deposit, ``paid`` once it
    reaches the total (``refunded`` if a refund of it all came first). Leaving ``pending``, the order
    stops expiring and gives the company the meetings of its packages."""
    d = deps.get()
    order, now = stored.order, d.clock()
    paid = order.paid_cents + amount_cents
    state = state_after_payment(order, paid)
    update: dict[str, object] = {"paid_cents": paid, "instalments": covered(order.instalments, paid, now)}
    ops: list[Put | Update | Check] = [record, *also]
    if state != order.state:
        update |= {"state": state} | ({"paid_at": now} if state == "paid" else {})
        if order.state == "pending":
            ops.append(d.orders.leave_expiry_index(tenant_id, order.order_id))
            if order.refunded_cents >= paid:  # the refund's event came before the payment's
                update |= {"state": "refunded", "ended_at": now}
                ops.extend(d.orders.releases(tenant_id, order))
            else:
                quota = d.orders.meeting_quota(tenant_id, order, 1)
                ops.extend([quota] if quota else [])
        ops.append(announcement(tenant_id, order, str(update["state"]), actor))
    settled = order.model_copy(update=update)
    d.orders.save(tenant_id, stored, settled, *ops)
    return settled


@idempotent
def record_payment(caller: Caller, command: RecordPayment) -> OrderStatus:
    principal = require(caller, CONFIGURE)
    d = deps.get()
    stored = visible_order(principal, command.order_id)
    order = stored.order
    if order.payment_method == "card":
        raise InvalidTransition("a card order is paid through Stripe")
    if order.state not in ("pending", "partially_paid"):
        raise InvalidTransition(f"the order is {order.state}")
    if command.payment.amount_cents > order.total_cents - order.paid_cents:
        left = order.total_cents - order.paid_cents
        raise ValidationFailed(
            f"only {left} cents are still due",
            errors=[FieldError("amount_cents", f"at most {left}")],
        )
    payment_id = f"pay_{uuid.uuid4().hex[:16]}"
    record = d.orders.payment_put(
        principal.tenant_id,
        order.order_id,
        payment_id,
        {
            "method": order.payment_method,
            "amount_cents": command.payment.amount_cents,
            "received_on": command.payment.received_on.isoformat(),
            "reference": command.payment.reference,
            "recorded_by": principal.sub,
        },
        d.clock(),
    )
    try:
        return OrderStatus.of(
            settle(principal.tenant_id, stored, command.payment.amount_cents, record, principal.sub)
        )
    except StaleOrder as exc:
        raise Conflict("the order changed meanwhile; reload it") from exc


def credit(
    tenant_id: str,
    stored: Stored,
    amount_cents: int,
    record: Put,
    refund_id: str,
    actor: str,
    *also: Put,
) -> Order:
    """Add a refund to the order (announced, to be credited): fully refunded, it releases its units
    and its meetings."""
    d = deps.get()
    order = stored.order
    refunded = order.refunded_cents + amount_cents
    update: dict[str, object] = {"refunded_cents": refunded}
    ops: list[Put | Update | Check] = [record, *also, refund_announcement(tenant_id, order, refund_id, actor)]
    if order.state in REFUNDABLE and refunded >= order.paid_cents:
        update |= {"state": "refunded", "ended_at": d.clock()}
        ops.extend(d.orders.releases(tenant_id, order))
        quota = d.orders.meeting_quota(tenant_id, order, -1)
        ops.extend([quota] if quota else [])
        ops.append(announcement(tenant_id, order, "refunded", actor))
    credited = order.model_copy(update=update)
    d.orders.save(tenant_id, stored, credited, *ops)
    return credited


@idempotent
def refund(caller: Caller, command: Refund) -> OrderStatus:
    principal = require(caller, CONFIGURE)
    d = deps.get()
    stored = visible_order(principal, command.order_id)
    order = stored.order
    if order.state not in REFUNDABLE:
        raise InvalidTransition(f"only a paid order is refunded; this one is {order.state}")
    left = order.paid_cents - order.refunded_cents
    amount = command.refund.amount_cents or left
    if amount > left:
        raise ValidationFailed(
            f"at most {left} cents can be refunded", errors=[FieldError("amount_cents", f"at most {left}")]
        )
    refund_id = f"ref_{uuid.uuid4().hex[:16]}"
    stripe_refund = _card_refunds(order, amount) if order.payment_method == "card" else None
    record = d.orders.refund_put(
        principal.tenant_id,
        order.order_id,
        refund_id,
        {
            "amount_cents": amount,
            "reason": command.refund.reason,
            "recorded_by": principal.sub,
            **({"stripe_refund_id": stripe_refund} if stripe_refund else {}),
        },
        d.clock(),
    )
    try:
        credited = credit(principal.tenant_id, stored, amount, record, refund_id, principal.sub)
        return OrderStatus.of(credited)
    except StaleOrder as exc:
        raise Conflict("the order changed meanwhile; reload it") from exc


def _card_refunds(order: Order, amount_cents: int) -> str | None:
    """Refund the card payments through Stripe, the latest first (the balance, then the deposit)."""
    payments = card_payments(order)
    parts = latest_first(order.refunded_cents, amount_cents, [paid for _, paid in payments])
    key = f"{order.order_id}:refund:{order.refunded_cents}:{amount_cents}"
    refunds = [
        deps.get().stripe.refund(intent, part, key if len(payments) == 1 else f"{key}:{intent}")
        for (intent, _), part in zip(payments, parts, strict=True)
        if part
    ]
    return ",".join(refunds) or None


def payment_record(
    tenant_id: str, order: Order, payment_intent_id: str, amount_cents: int, stripe_event_id: str
) -> Put:
    d = deps.get()
    return d.orders.payment_put(
        tenant_id,
        order.order_id,
        f"pay_{payment_intent_id}",
        {
            "method": "card",
            "amount_cents": amount_cents,
            "received_on": iso(d.clock())[:10],
            "reference": payment_intent_id,
            "stripe_event_id": stripe_event_id,
        },
        d.clock(),
    )
