"""Orders: a company's participant places one (stock and promo use held at once), reads it, cancels it;
organisers and staff read any. Ending an order unpaid (cancel, expiry) gives its holdings back.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from salon.checkout import deps
from salon.checkout.adapters.orders_repo import ProductTaken, StaleOrder, Stored
from salon.checkout.domain.deposits import plan
from salon.checkout.domain.orders import (
    Buyer,
    Order,
    OrderInput,
    OrderPage,
    OrderPlaced,
    OrderStatus,
    State,
    check_billing,
    check_lines,
    check_promo,
    order_totals,
    payment_deadline,
    priced_lines,
)
from salon.checkout.services.catalogue import event_of
from salon.kernel import audit
from salon.kernel.caller import Caller, require
from salon.kernel.domain_events import CHECKOUT_SOURCE, EventDetail
from salon.kernel.dynamo import Put, Update
from salon.kernel.errors import (
    Conflict,
    FieldError,
    InvalidTransition,
    LimitReached,
    NotFound,
    ValidationFailed,
)
from salon.kernel.idempotency import idempotent
from salon.kernel.outbox import dedupe_id, event_put
from salon.kernel.principal import REVIEW, SELF, SELF_OR_ON_BEHALF, Principal
from salon.kernel.values import Page

ORDER_STATES_BUYABLE = frozenset({"validated"})


class PlaceOrder(OrderInput):
    event_id: str


def new_order_id(now: datetime) -> str:
    """Sortable by creation time (milliseconds first), unique by its random part."""
    return f"ord_{int(now.timestamp() * 1000):012x}{uuid.uuid4().hex[:16]}"


def announcement(tenant_id: str, order: Order, state: str, actor: str) -> Put:
    """``order.<state>``: the order reached that state."""
    detail = EventDetail(
        tenant_id=tenant_id,
        dedupe_id=dedupe_id(tenant_id, order.order_id, state),
        event_id=order.event_id,
        registration_id=order.registration_id,
        order_id=order.order_id,
        actor_id=actor,
    )
    return event_put(f"order.{state}", detail, deps.get().clock(), source=CHECKOUT_SOURCE)


def refund_announcement(tenant_id: str, order: Order, refund_id: str, actor: str) -> Put:
    """``order.refund_recorded``: one refund (partial or not) of the order, each to be credited."""
    detail = EventDetail(
        tenant_id=tenant_id,
        dedupe_id=dedupe_id(tenant_id, order.order_id, f"refund:{refund_id}"),
        event_id=order.event_id,
        registration_id=order.registration_id,
        order_id=order.order_id,
        refund_id=refund_id,
        actor_id=actor,
    )
    return event_put("order.refund_recorded", detail, deps.get().clock(), source=CHECKOUT_SOURCE)


def _company(principal: Principal, event_id: str) -> tuple[str, dict[str, object]]:
    """The caller's company in the event and its registration (404 if none, 409 unless validated)."""
    d = deps.get()
    links = sorted(
        (link for link in d.links.of(principal.tenant_id, principal.sub) if link["event_id"] == event_id),
        key=lambda link: str(link["registration_id"]),
    )
    registration = d.orders.registration(principal.tenant_id, links[0]["registration_id"]) if links else None
    if registration is None:
        raise NotFound("no participation of yours in this event")
    if registration.get("state") not in ORDER_STATES_BUYABLE:
        raise InvalidTransition("your registration must be validated before ordering")
    return str(registration["registration_id"]), registration


@idempotent
def place(caller: Caller, command: PlaceOrder) -> OrderPlaced:
    principal = require(caller, SELF)
    tenant_id, d = principal.tenant_id, deps.get()
    event = event_of(tenant_id, command.event_id)
    registration_id, registration = _company(principal, command.event_id)
    now = d.clock()
    products = {p.product_id: p for p in d.orders.products(tenant_id, command.event_id)}
    buyer = Buyer(registration_id, str(registration["type"]), d.orders.purchases(tenant_id, registration_id))
    chosen = check_lines(command, products, buyer, now)
    promo = None
    if command.promo_code:
        promo = check_promo(d.orders.promo(tenant_id, command.event_id, command.promo_code), now)
    lines = priced_lines(chosen, promo)
    totals = order_totals(lines, event.vat_mode)
    if command.payment_method == "card" and totals.gross_cents <= 0:
        raise ValidationFailed(
            "nothing to pay by card", errors=[FieldError("payment_method", "nothing to pay")]
        )
    expires, due = payment_deadline(command.payment_method, now, d.platform.settings.offline_payment_days)
    billing = check_billing(command.billing)
    instalments = []
    if command.payment_schedule == "deposit":
        instalments = plan(totals.gross_cents, event.deposit, event.starts_at, expires)
    if not d.orders.seller_set(tenant_id):
        raise Conflict("the organiser has not set its seller details yet: no invoice could be issued")
    order = Order(
        order_id=new_order_id(now),
        event_id=command.event_id,
        registration_id=registration_id,
        state="pending",
        payment_method=command.payment_method,
        currency=event.currency,
        vat_mode=event.vat_mode,
        lines=lines,
        promo_code=promo.code if promo else None,
        totals=totals,
        billing=billing,
        buyer_locale="en" if registration.get("locale") == "en" else "fr",
        placed_by=principal.sub,
        placed_at=now,
        hold_until=expires,
        due_at=due,
        instalments=instalments,
    )
    try:
        d.orders.place(
            tenant_id, order, chosen, promo, announcement(tenant_id, order, "placed", principal.sub)
        )
    except ProductTaken as taken:
        raise _refusal(taken) from taken
    if command.payment_method != "card":
        return OrderPlaced(
            order_id=order.order_id, state=order.state, total=totals, instalments=order.instalments
        )
    return _with_intent(tenant_id, order)


def _refusal(taken: ProductTaken) -> Exception:
    if taken.what == "stock":
        field = f"lines[{taken.index}].quantity"
        return Conflict("sold out: not enough units left", errors=[FieldError(field, "sold out")])
    if taken.what == "max_per_company":
        field = f"lines[{taken.index}].quantity"
        return LimitReached(
            "the per-company maximum is reached", errors=[FieldError(field, "maximum reached")]
        )
    return LimitReached("this promo code is used up", errors=[FieldError("promo_code", "used up")])


def _with_intent(tenant_id: str, order: Order) -> OrderPlaced:
    """The card order's PaymentIntent, for its total or its deposit (the order ends at once if Stripe
    cannot make one)."""
    d = deps.get()
    deposit = order.instalment("deposit")
    try:
        intent = d.stripe.create_intent(
            deposit.amount_cents if deposit else order.total_cents,
            order.currency,
            intent_metadata(tenant_id, order, "deposit" if deposit else "full"),
            key=order.order_id,
        )
    except Exception:
        stored = d.orders.get(tenant_id, order.order_id)
        if stored is not None:
            end(tenant_id, stored, "cancelled", order.placed_by)
        raise
    instalments = [
        i.model_copy(update={"payment_intent_id": intent.payment_intent_id}) if i.part == "deposit" else i
        for i in order.instalments
    ]
    with_intent = order.model_copy(
        update={"payment_intent_id": intent.payment_intent_id, "instalments": instalments}
    )
    d.orders.save(tenant_id, Stored(order, 1), with_intent)
    return OrderPlaced(
        order_id=order.order_id,
        state=order.state,
        total=order.totals,
        instalments=instalments,
        payment_intent_id=intent.payment_intent_id,
        client_secret=intent.client_secret,
    )


def intent_metadata(tenant_id: str, order: Order, paying: str) -> dict[str, str]:
    """What a PaymentIntent names (Stripe copies it onto its charges): whose order, and what it pays."""
    return {"tenant_id": tenant_id, "order_id": order.order_id, "event_id": order.event_id, "pays": paying}


def end(tenant_id: str, stored: Stored, state: State, actor: str) -> Order:
    """End a pending order unpaid (cancelled, expired): its units and promo use are given back."""
    d = deps.get()
    if stored.order.state != "pending":
        raise InvalidTransition(f"the order is {stored.order.state}")
    ended = stored.order.model_copy(update={"state": state, "ended_at": d.clock()})
    ops: list[Put | Update] = [
        *d.orders.releases(tenant_id, stored.order),
        d.orders.leave_expiry_index(tenant_id, stored.order.order_id),
        announcement(tenant_id, ended, state, actor),
    ]
    d.orders.save(tenant_id, stored, ended, *ops)
    return ended


def visible_order(principal: Principal, order_id: str) -> Stored:
    """The order, if the caller's company placed it or the caller is an organiser or staff (404 else)."""
    d = deps.get()
    stored = d.orders.get(principal.tenant_id, order_id)
    if stored is None:
        raise NotFound("no such order")
    if principal.roles & REVIEW:
        return stored
    mine = {link["registration_id"] for link in d.links.of(principal.tenant_id, principal.sub)}
    if stored.order.registration_id not in mine:
        raise NotFound("no such order")
    return stored


def get(caller: Caller, order_id: str) -> Order:
    """A participant reads their company's order; an organiser's or staff member's read is audited."""
    principal = require(caller, SELF_OR_ON_BEHALF)
    order = visible_order(principal, order_id).order
    if principal.roles & REVIEW:
        audit.record(
            caller,
            role=principal.acting_role(REVIEW),
            action="order.read",
            subjects=[order.registration_id],
            item_types=["order"],
            fields=["billing", "placed_by", "buyer_locale"],
            purpose="order-administration",
        )
    return order


class CancelOrder(BaseModel):
    model_config = ConfigDict(defer_build=True)

    order_id: str


@idempotent
def cancel(caller: Caller, command: CancelOrder) -> OrderStatus:
    principal = require(caller, SELF_OR_ON_BEHALF)
    stored = visible_order(principal, command.order_id)
    order = stored.order
    if order.state != "pending":
        raise InvalidTransition(f"the order is {order.state}")
    if order.payment_intent_id and not deps.get().stripe.cancel_intent(order.payment_intent_id):
        raise InvalidTransition("the card payment went through: the order is being paid")
    try:
        return OrderStatus.of(end(principal.tenant_id, stored, "cancelled", principal.sub))
    except StaleOrder as exc:
        raise Conflict("the order changed meanwhile; reload it") from exc


def mine(caller: Caller, event_id: str | None, page: Page) -> OrderPage:
    """My company's orders, newest first (of every event I take part in, or of ``event_id``)."""
    principal = require(caller, SELF)
    d = deps.get()
    registrations = sorted(
        {
            str(link["registration_id"])
            for link in d.links.of(principal.tenant_id, principal.sub)
            if event_id is None or link["event_id"] == event_id
        }
    )
    if not registrations:
        raise NotFound("no participation of yours matches")
    if len(registrations) > 1:
        raise ValidationFailed(
            "you take part in several events",
            errors=[FieldError("event_id", "required: you take part in several events")],
        )
    items, cursor = d.orders.of_registration(principal.tenant_id, registrations[0], page.limit, page.cursor)
    return OrderPage(items=items, next_cursor=cursor)
