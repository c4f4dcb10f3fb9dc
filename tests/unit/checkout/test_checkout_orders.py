"""Order rules, pure: which lines a company may order, promo validity, payment deadlines, and the order
as invoicing reads it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError
from salon.checkout.domain.orders import (
    Billing,
    Buyer,
    Order,
    OrderInput,
    check_lines,
    check_promo,
    order_totals,
    payment_deadline,
    priced_lines,
)
from salon.checkout.domain.products import Product, ProductInput
from salon.checkout.domain.promo import Promo
from salon.checkout.services.invoicer import invoiceable
from salon.kernel.errors import LimitReached, ValidationFailed, WindowClosed

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def product(product_id: str, **fields: Any) -> Product:
    base = {"kind": "option", "name": {"fr": "Option", "en": "Option"}, "price_cents": 10_000}
    return Product.model_validate(
        {"product_id": product_id, "event_id": "evt_1", "created_at": NOW, **base, **fields}
    )


def order_input(*lines: tuple[str, int]) -> OrderInput:
    return OrderInput.model_validate(
        {"lines": [{"product_id": p, "quantity": q} for p, q in lines], "payment_method": "transfer"}
    )


BUYER = Buyer("reg_1", "buyer", {"pkg": 1})


def test_a_package_is_sold_to_exactly_one_participation_type() -> None:
    with pytest.raises(ValidationError, match="exactly one participation type"):
        ProductInput.model_validate({"kind": "package", "name": {"fr": "P"}, "price_cents": 1})
    with pytest.raises(ValidationError, match="sale_ends_at"):
        ProductInput.model_validate(
            {
                "kind": "option",
                "name": {"fr": "P"},
                "price_cents": 1,
                "sale_starts_at": NOW,
                "sale_ends_at": NOW,
            }
        )


def test_lines_refuse_hidden_unknown_repeated_off_sale_and_over_the_company_maximum() -> None:
    products = {
        "pkg": product("pkg", kind="package", visible_to=["buyer"], max_per_company=1),
        "sup": product("sup", kind="package", visible_to=["supplier"]),
        "late": product("late", sale_starts_at=NOW + timedelta(days=1)),
        "lunch": product("lunch"),
    }
    with pytest.raises(ValidationFailed) as hidden:
        check_lines(order_input(("sup", 1)), products, BUYER, NOW)
    assert hidden.value.errors[0].field == "lines[0].product_id"
    with pytest.raises(ValidationFailed):
        check_lines(order_input(("nope", 1)), products, BUYER, NOW)
    with pytest.raises(ValidationFailed, match="twice"):
        check_lines(order_input(("lunch", 1), ("lunch", 1)), products, BUYER, NOW)
    with pytest.raises(WindowClosed):
        check_lines(order_input(("late", 1)), products, BUYER, NOW)
    with pytest.raises(LimitReached) as maximum:
        check_lines(order_input(("lunch", 2), ("pkg", 1)), products, BUYER, NOW)
    assert maximum.value.errors[0].field == "lines[1].quantity"
    assert check_lines(order_input(("lunch", 3)), products, BUYER, NOW) == [(products["lunch"], 3)]


def test_promo_codes_refuse_unknown_expired_and_used_up_codes() -> None:
    base = {"code": "EARLY", "kind": "percent", "value": 10, "event_id": "evt_1", "created_at": NOW}
    with pytest.raises(ValidationFailed):
        check_promo(None, NOW)
    with pytest.raises(ValidationFailed):
        check_promo(Promo.model_validate({**base, "valid_until": NOW}), NOW)
    with pytest.raises(LimitReached):
        check_promo(Promo.model_validate({**base, "max_uses": 3, "uses": 3}), NOW)
    fine = Promo.model_validate({**base, "max_uses": 3, "uses": 2})
    assert check_promo(fine, NOW) is fine


def test_card_orders_hold_seats_thirty_minutes_offline_ones_the_configured_days() -> None:
    assert payment_deadline("card", NOW, 14) == (NOW + timedelta(minutes=30), None)
    assert payment_deadline("cheque", NOW, 10) == (NOW + timedelta(days=10), NOW + timedelta(days=10))


def test_an_order_reads_as_invoicing_expects_with_the_discount_as_a_negative_line() -> None:
    chosen = [(product("pkg", kind="package", visible_to=["buyer"], meeting_quota=12, vat_rate="20"), 1)]
    promo = Promo.model_validate(
        {"code": "EARLY", "kind": "amount", "value": 1_000, "event_id": "evt_1", "created_at": NOW}
    )
    lines = priced_lines(chosen, promo)
    order = Order(
        order_id="ord_1",
        event_id="evt_1",
        registration_id="reg_1",
        state="pending",
        payment_method="purchase_order",
        currency="EUR",
        vat_mode="excl",
        lines=lines,
        promo_code="EARLY",
        totals=order_totals(lines, "excl"),
        billing=Billing(
            company_name="Acme",
            address_lines=["Friedrichstr. 1"],
            postcode="10115",
            city="Berlin",
            country="de",
            vat_number="DE136695976",
            purchase_order="PO-7",
        ),
        placed_by="sub-1",
        placed_at=NOW,
        hold_until=NOW + timedelta(days=14),
        due_at=NOW + timedelta(days=14),
    )
    assert order.meeting_quota() == 12 and order.total_cents == (10_000 - 1_000) * 120 // 100
    invoiceable_order = invoiceable(order)
    assert invoiceable_order.vat_mode == "excluding" and invoiceable_order.currency == "EUR"
    billing = invoiceable_order.billing
    assert billing.country == "DE" and billing.purchase_order == "PO-7" and billing.postcode == "10115"
    assert [line.model_dump() for line in invoiceable_order.lines] == [
        {
            "product_id": "pkg",
            "name": {"fr": "Option", "en": "Option"},
            "quantity": 1,
            "unit_price_cents": 10_000,
            "vat_rate": Decimal("20"),
        },
        {
            "product_id": "discount",
            "name": {"fr": "Remise EARLY", "en": "Discount EARLY"},
            "quantity": 1,
            "unit_price_cents": -1_000,
            "vat_rate": Decimal("20"),
        },
    ]
    assert invoiceable_order.due_at == NOW + timedelta(days=14) and invoiceable_order.paid_at is None
