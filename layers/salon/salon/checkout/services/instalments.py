"""The balance of an order paid in two instalments, by card: once the deposit is in, the buyer asks for
the balance's PaymentIntent (the same one when asked again) and confirms it; Stripe's webhook then makes
the order ``paid``. An offline balance is recorded by the organiser like any offline payment.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from salon.checkout import deps
from salon.checkout.adapters.orders_repo import StaleOrder
from salon.checkout.services.orders import intent_metadata, visible_order
from salon.kernel.caller import Caller, require
from salon.kernel.errors import Conflict, InvalidTransition
from salon.kernel.idempotency import idempotent
from salon.kernel.principal import SELF_OR_ON_BEHALF


class PayBalance(BaseModel):
    model_config = ConfigDict(defer_build=True)

    order_id: str


class BalanceIntent(BaseModel):
    model_config = ConfigDict(defer_build=True)

    order_id: str
    amount_cents: int
    due_at: datetime
    payment_intent_id: str
    client_secret: str


@idempotent
def pay_balance(caller: Caller, command: PayBalance) -> BalanceIntent:
    principal = require(caller, SELF_OR_ON_BEHALF)
    d = deps.get()
    stored = visible_order(principal, command.order_id)
    order = stored.order
    balance = order.instalment("balance")
    if balance is None:
        raise InvalidTransition("this order is paid in one go")
    if order.payment_method != "card":
        raise InvalidTransition("an offline balance is recorded by the organiser when received")
    if order.state != "partially_paid":
        raise InvalidTransition(f"the order is {order.state}: its balance is not to be paid now")
    if balance.payment_intent_id:
        intent = d.stripe.intent(balance.payment_intent_id)
    else:
        metadata = intent_metadata(principal.tenant_id, order, "balance")
        intent = d.stripe.create_intent(
            balance.amount_cents, order.currency, metadata, key=f"{order.order_id}:balance"
        )
        instalments = [
            i.model_copy(update={"payment_intent_id": intent.payment_intent_id}) if i.part == "balance" else i
            for i in order.instalments
        ]
        try:
            d.orders.save(principal.tenant_id, stored, order.model_copy(update={"instalments": instalments}))
        except StaleOrder as exc:
            raise Conflict("the order changed meanwhile; retry") from exc
    return BalanceIntent(
        order_id=order.order_id,
        amount_cents=balance.amount_cents,
        due_at=balance.due_at,
        payment_intent_id=intent.payment_intent_id,
        client_secret=intent.client_secret,
    )
