"""Checkout over HTTP: products, promo codes, orders, balances, offline payments, refunds. Thin: routes ->
services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field
from salon.checkout.domain.orders import Order, OrderInput, OrderPage, OrderPlaced, OrderStatus
from salon.checkout.domain.payments import PaymentInput, RefundInput
from salon.checkout.domain.products import Product, ProductInput, ProductPage
from salon.checkout.domain.promo import Promo, PromoInput
from salon.checkout.services import catalogue, instalments, orders, payments
from salon.kernel import invocation, logs
from salon.kernel.caller import Caller
from salon.kernel.http import Router
from salon.kernel.routes import CHECKOUT
from salon.kernel.values import Page

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logs.configure()
router = Router(CHECKOUT)

PRODUCT_EXAMPLE = {
    "kind": "package",
    "name": {"fr": "Pack acheteur", "en": "Buyer package"},
    "price_cents": 90000,
    "vat_rate": "20.0",
    "participants_included": 2,
    "meeting_quota": 12,
    "stock": 50,
    "max_per_company": 1,
    "visible_to": ["buyer"],
}
PROMO_EXAMPLE = {"code": "EARLY10", "kind": "percent", "value": 10, "max_uses": 20}
ORDER_EXAMPLE = {
    "lines": [{"product_id": "prd_0123456789abcdef", "quantity": 1}],
    "payment_method": "card",
    "billing": {
        "company_name": "Acme SAS",
        "address_lines": ["1 rue de la Paix"],
        "postcode": "75002",
        "city": "Paris",
        "country": "FR",
        "vat_number": "FR40303265045",
    },
}


class MyOrdersQuery(BaseModel):
    model_config = ConfigDict(defer_build=True)

    event_id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{1,64}$")
    limit: int = Field(default=25, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=2048)


@router.route(
    "POST /events/{event_id}/products",
    response=Product,
    status=201,
    body=ProductInput,
    example=PRODUCT_EXAMPLE,
)
def create_product(caller: Caller, event_id: str, body: ProductInput) -> Product:
    return catalogue.create_product(caller, event_id, body)


@router.route("GET /events/{event_id}/products", response=ProductPage)
def list_products(caller: Caller, event_id: str) -> ProductPage:
    return catalogue.list_products(caller, event_id)


@router.route(
    "POST /events/{event_id}/promo-codes", response=Promo, status=201, body=PromoInput, example=PROMO_EXAMPLE
)
def create_promo(caller: Caller, event_id: str, body: PromoInput) -> Promo:
    return catalogue.create_promo(caller, event_id, body)


@router.route(
    "POST /events/{event_id}/orders", response=OrderPlaced, status=201, body=OrderInput, example=ORDER_EXAMPLE
)
def place_order(caller: Caller, event_id: str, body: OrderInput) -> OrderPlaced:
    return orders.place(caller, orders.PlaceOrder(event_id=event_id, **body.model_dump()))


@router.route("GET /orders/{order_id}", response=Order)
def get_order(caller: Caller, order_id: str) -> Order:
    return orders.get(caller, order_id)


@router.route("POST /orders/{order_id}/cancel", response=OrderStatus)
def cancel_order(caller: Caller, order_id: str) -> OrderStatus:
    return orders.cancel(caller, orders.CancelOrder(order_id=order_id))


@router.route("GET /me/orders", response=OrderPage, query=MyOrdersQuery)
def my_orders(caller: Caller, query: MyOrdersQuery) -> OrderPage:
    return orders.mine(caller, query.event_id, Page(limit=query.limit, cursor=query.cursor))


@router.route("POST /orders/{order_id}/instalments/balance/pay", response=instalments.BalanceIntent)
def pay_balance(caller: Caller, order_id: str) -> instalments.BalanceIntent:
    return instalments.pay_balance(caller, instalments.PayBalance(order_id=order_id))


@router.route(
    "POST /orders/{order_id}/payments",
    response=OrderStatus,
    status=201,
    body=PaymentInput,
    example={"amount_cents": 54000, "received_on": "2026-03-02", "reference": "VIR-2026-0042"},
)
def record_payment(caller: Caller, order_id: str, body: PaymentInput) -> OrderStatus:
    return payments.record_payment(caller, payments.RecordPayment(order_id=order_id, payment=body))


@router.route(
    "POST /orders/{order_id}/refunds",
    response=OrderStatus,
    status=201,
    body=RefundInput,
    example={"amount_cents": 10800, "reason": "one participant less"},
)
def refund(caller: Caller, order_id: str, body: RefundInput) -> OrderStatus:
    return payments.refund(caller, payments.Refund(order_id=order_id, refund=body))


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    invocation.begin(context)
    return router.handle(event)
