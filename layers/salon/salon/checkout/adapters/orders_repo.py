"""Products, promo codes and orders in the single table.

Placing an order is one transaction: the order, its expiry entry, each product's units held (``sold``,
conditioned on the stock), the company's units per product (conditioned on the per-company maximum),
the promo code's uses (conditioned on its maximum) and the domain event. Under any concurrency a seat
or a use is never given twice: DynamoDB checks each condition against the committed counters. Every
later change of an order is conditioned on the ``version`` read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from boto3.dynamodb.conditions import Key

from salon.checkout.domain.orders import Order
from salon.checkout.domain.products import Product
from salon.checkout.domain.promo import Promo
from salon.kernel import keys
from salon.kernel.dynamo import (
    Check,
    ConditionFailed,
    Item,
    Put,
    Table,
    TransactionCancelled,
    Update,
    decode_cursor,
    encode_cursor,
)
from salon.kernel.dynamo_reads import body
from salon.kernel.registry import expires_at, pseudonymise_on
from salon.kernel.values import iso


def _body(item: Item) -> dict[str, Any]:
    return body(item, also=("tenant_id", "version", "expires_at", "pseudonymised_at"))


class ProductTaken(Exception):
    """A product's stock, a company's maximum or the promo code's uses would be exceeded."""

    def __init__(self, what: str, index: int) -> None:
        super().__init__(what)
        self.what = what  # "stock", "max_per_company" or "promo"
        self.index = index  # the line concerned (stock, maximum)


class StaleOrder(Exception):
    """The order changed since it was read."""


@dataclass
class OrderChange:
    """One change of an order: its new version plus what goes with it, committed together."""

    ops: list[Put | Update | Check] = field(default_factory=list)


@dataclass(frozen=True)
class Stored:
    order: Order
    version: int


def order_item(tenant_id: str, order: Order, version: int) -> Item:
    placed = f"{iso(order.placed_at)}#{order.order_id}"
    return {
        "PK": keys.order_pk(tenant_id, order.order_id),
        "SK": keys.ORDER_SK,
        "GSI1PK": keys.registration_orders_index(tenant_id, order.registration_id),
        "GSI1SK": placed,
        "GSI2PK": keys.event_orders_index(tenant_id, order.event_id),
        "GSI2SK": placed,
        "item_type": "order",
        "tenant_id": tenant_id,
        "version": version,
        "expires_at": expires_at("order", order.placed_at),
        **order.model_dump(mode="json", exclude_none=True),
    }


def contract_retention_item(tenant_id: str, order_id: str, relationship_end: datetime) -> Item:
    """The order's entry in the index of contractual records due for pseudonymisation: due 5 years
    after ``relationship_end`` (the sweep moves it on while the relationship goes on)."""
    due = pseudonymise_on("order", relationship_end)
    return {
        "PK": keys.order_pk(tenant_id, order_id),
        "SK": keys.CONTRACT_RETENTION_SK,
        "GSI1PK": keys.CONTRACTS_BY_DUE_INDEX,
        "GSI1SK": keys.contract_due_sort(iso(due), tenant_id, order_id),
        "item_type": "contract_retention",
        "tenant_id": tenant_id,
        "order_id": order_id,
        "due_on": iso(due),
        "expires_at": expires_at("contract_retention", relationship_end),
    }


def _order(item: Item) -> Stored:
    return Stored(Order.model_validate(_body(item)), int(item["version"]))


class OrdersRepository:
    def __init__(self, table: Table) -> None:
        self.table = table

    # ------------------------------------------------------------------ catalogue
    def put_product(self, tenant_id: str, product: Product, *also: Put) -> None:
        item = {
            "PK": keys.event_pk(tenant_id, product.event_id),
            "SK": keys.product_sk(product.product_id),
            "item_type": "product",
            "tenant_id": tenant_id,
            **product.model_dump(mode="json", exclude_none=True),
        }
        self.table.transact([Put(item, "attribute_not_exists(PK)"), *also])

    def products(self, tenant_id: str, event_id: str) -> list[Product]:
        condition = Key("PK").eq(keys.event_pk(tenant_id, event_id)) & Key("SK").begins_with(
            keys.PRODUCT_PREFIX
        )
        return [Product.model_validate(_body(i)) for i in self.table.query_all(condition, consistent=True)]

    def put_promo(self, tenant_id: str, promo: Promo, *also: Put) -> None:
        item = {
            "PK": keys.event_pk(tenant_id, promo.event_id),
            "SK": keys.promo_sk(promo.code),
            "item_type": "promo_code",
            "tenant_id": tenant_id,
            **promo.model_dump(mode="json", exclude_none=True),
        }
        self.table.transact([Put(item, "attribute_not_exists(PK)"), *also])

    def promo(self, tenant_id: str, event_id: str, code: str) -> Promo | None:
        item = self.table.get(keys.event_pk(tenant_id, event_id), keys.promo_sk(code))
        return Promo.model_validate(_body(item)) if item else None

    def registration(self, tenant_id: str, registration_id: str) -> Item | None:
        return self.table.get(keys.registration_pk(tenant_id, registration_id), keys.REGISTRATION_SK)

    def seller_set(self, tenant_id: str) -> bool:
        """Whether the organiser has set its seller details (invoicing's item), without which no
        invoice can be issued."""
        return self.table.get(keys.seller_pk(tenant_id), keys.SELLER_SK) is not None

    def purchases(self, tenant_id: str, registration_id: str) -> dict[str, int]:
        """Product id -> units the company holds through live orders."""
        condition = Key("PK").eq(keys.registration_pk(tenant_id, registration_id)) & Key("SK").begins_with(
            keys.purchases_sk("")
        )
        return {i["product_id"]: int(i["quantity"]) for i in self.table.query_all(condition, consistent=True)}

    # ------------------------------------------------------------------ orders
    def place(
        self,
        tenant_id: str,
        order: Order,
        held: Sequence[tuple[Product, int]],
        promo: Promo | None,
        *also: Put,
    ) -> None:
        """Store a pending order with its reservations (``ProductTaken`` when one would overflow)."""
        ops: list[Put | Update | Check] = [
            Put(order_item(tenant_id, order, 1), "attribute_not_exists(PK)"),
            self._expiry_entry(tenant_id, order),
            Put(contract_retention_item(tenant_id, order.order_id, order.placed_at)),
        ]
        checks: list[tuple[str, int]] = [("order", -1), ("order", -1), ("order", -1)]
        for index, (product, quantity) in enumerate(held):
            ops.append(self._hold_stock(tenant_id, order.event_id, product, quantity))
            checks.append(("stock", index))
            ops.append(self._hold_per_company(tenant_id, order, product, quantity))
            checks.append(("max_per_company", index))
        if promo is not None:
            ops.append(self._use_promo(tenant_id, promo))
            checks.append(("promo", -1))
        try:
            self.table.transact([*ops, *also])
        except TransactionCancelled as cancelled:
            for (what, index), reason in zip(checks, cancelled.reasons, strict=False):
                if reason == "ConditionalCheckFailed" and what != "order":
                    raise ProductTaken(what, index) from cancelled
            raise

    def _expiry_entry(self, tenant_id: str, order: Order) -> Put:
        return Put(
            {
                "PK": keys.order_pk(tenant_id, order.order_id),
                "SK": keys.ORDER_EXPIRY_SK,
                "GSI1PK": keys.ORDER_EXPIRIES_INDEX,
                "GSI1SK": keys.order_expiry_sort(iso(order.hold_until), tenant_id, order.order_id),
                "item_type": "order_expiry",
                "tenant_id": tenant_id,
                "order_id": order.order_id,
                "expires_on": iso(order.hold_until),
            }
        )

    def _hold_stock(self, tenant_id: str, event_id: str, product: Product, quantity: int) -> Update:
        key = {"PK": keys.event_pk(tenant_id, event_id), "SK": keys.product_sk(product.product_id)}
        if product.stock is None:
            return Update(key, "product", add={"sold": quantity}, condition="attribute_exists(PK)")
        return Update(
            key,
            "product",
            add={"sold": quantity},
            condition="attribute_exists(PK) AND #held <= :most",
            names={"#held": "sold"},
            values={":most": product.stock - quantity},
        )

    def _hold_per_company(self, tenant_id: str, order: Order, product: Product, quantity: int) -> Update:
        key = {
            "PK": keys.registration_pk(tenant_id, order.registration_id),
            "SK": keys.purchases_sk(product.product_id),
        }
        common = {
            "item_type": "purchase_counter",
            "tenant_id": tenant_id,
            "event_id": order.event_id,
            "product_id": product.product_id,
            "registration_id": order.registration_id,
        }
        if product.max_per_company is None:
            return Update(key, "purchase_counter", set=common, add={"quantity": quantity})
        return Update(
            key,
            "purchase_counter",
            set=common,
            add={"quantity": quantity},
            condition="attribute_not_exists(#units) OR #units <= :most",
            names={"#units": "quantity"},
            values={":most": product.max_per_company - quantity},
        )

    def _use_promo(self, tenant_id: str, promo: Promo) -> Update:
        key = {"PK": keys.event_pk(tenant_id, promo.event_id), "SK": keys.promo_sk(promo.code)}
        if promo.max_uses is None:
            return Update(key, "promo_code", add={"uses": 1}, condition="attribute_exists(PK)")
        return Update(
            key,
            "promo_code",
            add={"uses": 1},
            condition="attribute_exists(PK) AND #uses < :most",
            names={"#uses": "uses"},
            values={":most": promo.max_uses},
        )

    def releases(self, tenant_id: str, order: Order) -> list[Update]:
        """Give back the order's units and promo use (an order leaving the live states)."""
        ops: list[Update] = []
        for line in order.product_lines():
            ops.append(
                Update(
                    {"PK": keys.event_pk(tenant_id, order.event_id), "SK": keys.product_sk(line.product_id)},
                    "product",
                    add={"sold": -line.quantity},
                )
            )
            ops.append(
                Update(
                    {
                        "PK": keys.registration_pk(tenant_id, order.registration_id),
                        "SK": keys.purchases_sk(line.product_id),
                    },
                    "purchase_counter",
                    add={"quantity": -line.quantity},
                )
            )
        if order.promo_code:
            ops.append(
                Update(
                    {"PK": keys.event_pk(tenant_id, order.event_id), "SK": keys.promo_sk(order.promo_code)},
                    "promo_code",
                    add={"uses": -1},
                )
            )
        return ops

    def leave_expiry_index(self, tenant_id: str, order_id: str) -> Update:
        return Update(
            {"PK": keys.order_pk(tenant_id, order_id), "SK": keys.ORDER_EXPIRY_SK},
            "order_expiry",
            remove=("GSI1PK", "GSI1SK"),
        )

    def meeting_quota(self, tenant_id: str, order: Order, sign: int) -> Update | None:
        """Add (``sign`` 1) or take back (-1) the meetings the order's paid packages give the company."""
        quota = order.meeting_quota()
        if not quota:
            return None
        return Update(
            {
                "PK": keys.event_pk(tenant_id, order.event_id),
                "SK": keys.meeting_quota_sk(order.registration_id),
            },
            "meeting_quota",
            set={
                "item_type": "meeting_quota",
                "tenant_id": tenant_id,
                "event_id": order.event_id,
                "registration_id": order.registration_id,
            },
            add={"meeting_quota": sign * quota},
        )

    def get(self, tenant_id: str, order_id: str) -> Stored | None:
        item = self.table.get(keys.order_pk(tenant_id, order_id), keys.ORDER_SK)
        return _order(item) if item else None

    def save(self, tenant_id: str, stored: Stored, order: Order, *also: Put | Update | Check) -> None:
        """Write the order's new state over the version read (``StaleOrder`` if it changed)."""
        put = Put(
            order_item(tenant_id, order, stored.version + 1),
            "version = :v",
            {":v": stored.version},
        )
        try:
            self.table.transact([put, *also])
        except TransactionCancelled as cancelled:
            if cancelled.reasons and cancelled.reasons[0] == "ConditionalCheckFailed":
                raise StaleOrder(order.order_id) from cancelled
            raise

    def of_registration(
        self, tenant_id: str, registration_id: str, limit: int, cursor: str | None
    ) -> tuple[list[Order], str | None]:
        partition = keys.registration_orders_index(tenant_id, registration_id)
        start = decode_cursor(cursor, tenant_prefix=keys.tenant(tenant_id), index="GSI1")
        items, last = self.table.query(
            Key("GSI1PK").eq(partition), index="GSI1", limit=limit, start=start, forward=False
        )
        return [_order(i).order for i in items], encode_cursor(last)

    # ------------------------------------------------------------------ payments and refunds
    def payment_put(
        self, tenant_id: str, order_id: str, payment_id: str, record: dict[str, Any], at: datetime
    ) -> Put:
        return Put(
            {
                "PK": keys.order_pk(tenant_id, order_id),
                "SK": keys.payment_sk(payment_id),
                "item_type": "payment",
                "tenant_id": tenant_id,
                "payment_id": payment_id,
                "order_id": order_id,
                "created_at": iso(at),
                "expires_at": expires_at("payment", at),
                **record,
            },
            "attribute_not_exists(PK)",
        )

    def refund_put(
        self, tenant_id: str, order_id: str, refund_id: str, record: dict[str, Any], at: datetime
    ) -> Put:
        return Put(
            {
                "PK": keys.order_pk(tenant_id, order_id),
                "SK": keys.refund_sk(refund_id),
                "item_type": "refund",
                "tenant_id": tenant_id,
                "refund_id": refund_id,
                "order_id": order_id,
                "created_at": iso(at),
                "expires_at": expires_at("refund", at),
                **record,
            },
            "attribute_not_exists(PK)",
        )

    def records(self, tenant_id: str, order_id: str) -> list[Item]:
        """The order's payments and refunds, oldest first."""
        items = self.table.query_all(Key("PK").eq(keys.order_pk(tenant_id, order_id)), consistent=True)
        return [
            _body(i) | {"item_type": i["item_type"]} for i in items if i["item_type"] in ("payment", "refund")
        ]

    # ------------------------------------------------------------------ Stripe events and the expiry sweep
    def stripe_event_put(self, tenant_id: str, event_id: str, record: dict[str, Any], at: datetime) -> Put:
        """The Stripe event's id, stored once: a replay fails this put's condition."""
        return Put(
            {
                "PK": keys.stripe_event_pk(tenant_id, event_id),
                "SK": keys.STRIPE_EVENT_SK,
                "item_type": "stripe_event",
                "tenant_id": tenant_id,
                "stripe_event_id": event_id,
                "created_at": iso(at),
                "expires_at": expires_at("stripe_event", at),
                **record,
            },
            "attribute_not_exists(PK)",
        )

    def record_stripe_event(self, put: Put) -> bool:
        """Store an event that changes no order; False if it was already stored."""
        try:
            self.table.put(put)
        except ConditionFailed:
            return False
        return True

    def stripe_event_seen(self, tenant_id: str, event_id: str) -> bool:
        return self.table.get(keys.stripe_event_pk(tenant_id, event_id), keys.STRIPE_EVENT_SK) is not None

    def due_expiries(self, now: datetime, limit: int) -> list[tuple[str, str]]:
        """(tenant id, order id) of pending orders whose expiry has passed, oldest first."""
        condition = Key("GSI1PK").eq(keys.ORDER_EXPIRIES_INDEX) & Key("GSI1SK").lt(iso(now) + "#~")
        items, _ = self.table.query(condition, index="GSI1", limit=limit)
        return [(str(i["tenant_id"]), str(i["order_id"])) for i in items]
