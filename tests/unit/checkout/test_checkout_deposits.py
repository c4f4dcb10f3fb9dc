"""Deposits, pure: the event's terms, the split of a total in two instalments, which instalments money
covers, the order's state, what a PaymentIntent is to bring, refunds latest money first, and the
deposit and final invoices' lines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError
from salon.checkout.domain.deposits import Instalment, covered, latest_first, plan, split
from salon.checkout.domain.orders import (
    Billing,
    Order,
    OrderLine,
    card_due,
    card_payments,
    order_totals,
    refunded_on,
    state_after_payment,
)
from salon.checkout.invoicing.domain import amounts
from salon.checkout.services.deposit_invoices import deposit_lines, final_lines
from salon.checkout.services.invoice_lines import invoiceable
from salon.kernel.errors import ValidationFailed
from salon.kernel.values import LocalizedText
from salon.registration.domain.events import DepositTerms, EventPatch

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
STARTS = datetime(2026, 6, 10, 8, tzinfo=UTC)
TERMS = DepositTerms(percent=30, balance_due_days=14)


@given(total=st.integers(min_value=0, max_value=100_000_000), percent=st.integers(min_value=1, max_value=99))
def test_the_deposit_and_the_balance_always_sum_to_the_total(total: int, percent: int) -> None:
    deposit, balance = split(total, percent)
    assert deposit + balance == total
    assert 0 <= deposit <= total and abs(deposit * 100 - total * percent) <= 50


def test_the_deposit_is_rounded_half_up_to_the_cent() -> None:
    assert split(108_000, 30) == (32_400, 75_600)
    assert split(5, 30) == (2, 3)  # 1.5 cents -> 2
    assert split(1, 30) == (0, 1)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"percent": 0, "balance_due_days": 14}, "percent"),
        ({"percent": 100, "balance_due_days": 14}, "percent"),
        ({"percent": 30, "balance_due_days": -1}, "balance_due_days"),
        ({"percent": 30, "balance_due_days": 400}, "balance_due_days"),
        ({"percent": 30}, "balance_due_days"),
    ],
)
def test_nonsense_terms_are_refused_on_their_field(body: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        EventPatch.model_validate({"deposit": body})
    assert refused.value.errors()[0]["loc"] == ("deposit", field)


def test_the_plan_dates_the_balance_before_the_event() -> None:
    deposit, balance = plan(10_000, TERMS, STARTS, NOW + timedelta(minutes=30))
    assert (deposit.part, deposit.amount_cents, deposit.due_at) == (
        "deposit",
        3_000,
        NOW + timedelta(minutes=30),
    )
    assert (balance.part, balance.amount_cents, balance.due_at) == (
        "balance",
        7_000,
        STARTS - timedelta(days=14),
    )
    assert deposit.state == balance.state == "due"


@pytest.mark.parametrize(
    ("terms", "total", "deposit_due", "reason"),
    [
        (None, 10_000, NOW, "does not take deposits"),
        (TERMS, 10_000, STARTS - timedelta(days=14), "too close to the event"),
        (TERMS, 1, NOW, "too small"),
    ],
)
def test_a_deposit_is_refused_on_payment_schedule(
    terms: DepositTerms | None, total: int, deposit_due: datetime, reason: str
) -> None:
    with pytest.raises(ValidationFailed, match=reason) as refused:
        plan(total, terms, STARTS, deposit_due)
    assert refused.value.errors[0].field == "payment_schedule"


def test_money_covers_the_instalments_in_order() -> None:
    instalments = plan(10_000, TERMS, STARTS, NOW)
    assert [i.state for i in covered(instalments, 2_999, NOW)] == ["due", "due"]
    partly = covered(instalments, 3_000, NOW)
    assert [(i.state, i.paid_at) for i in partly] == [("paid", NOW), ("due", None)]
    later = NOW + timedelta(days=3)
    assert [(i.state, i.paid_at) for i in covered(partly, 10_000, later)] == [("paid", NOW), ("paid", later)]


def order(instalments: list[Instalment], **fields: Any) -> Order:
    lines = [
        OrderLine(
            product_id="pkg",
            name=LocalizedText(fr="Pack", en="Package"),
            quantity=1,
            unit_price_cents=8_000,
            vat_rate=Decimal("20"),
        ),
        OrderLine(
            product_id="lunch",
            name=LocalizedText(fr="Déjeuner", en="Lunch"),
            quantity=1,
            unit_price_cents=2_001,
            vat_rate=Decimal("10"),
        ),
    ]
    base: dict[str, Any] = {
        "order_id": "ord_1",
        "event_id": "evt_1",
        "registration_id": "reg_1",
        "state": "pending",
        "payment_method": "card",
        "currency": "EUR",
        "vat_mode": "incl",
        "lines": lines,
        "totals": order_totals(lines, "incl"),
        "billing": Billing.model_validate(
            {
                "company_name": "Acme",
                "country": "FR",
                "address_lines": ["1 rue de la Paix"],
                "postcode": "75002",
                "city": "Paris",
            }
        ),
        "placed_by": "sub-1",
        "placed_at": NOW,
        "hold_until": NOW + timedelta(minutes=30),
        "instalments": instalments,
    }
    return Order(**(base | fields))


def test_the_state_follows_the_deposit_then_the_total() -> None:
    deposit_order = order(plan(10_001, TERMS, STARTS, NOW))
    assert state_after_payment(deposit_order, 0) == "pending"
    assert state_after_payment(deposit_order, 3_000) == "partially_paid"
    assert state_after_payment(deposit_order, 10_001) == "paid"
    in_one_go = order([])
    assert state_after_payment(in_one_go, 3_000) == "pending"
    assert state_after_payment(in_one_go, 10_001) == "paid"


def with_intents(paid: int, **fields: Any) -> Order:
    deposit, balance = plan(10_001, TERMS, STARTS, NOW)
    instalments = [
        deposit.model_copy(update={"payment_intent_id": "pi_dep"}),
        balance.model_copy(update={"payment_intent_id": "pi_bal"}),
    ]
    return order(covered(instalments, paid, NOW), payment_intent_id="pi_dep", paid_cents=paid, **fields)


def test_a_payment_intent_brings_its_instalment_once_the_ones_before_are_paid() -> None:
    assert card_due(with_intents(0), "pi_dep") == 3_000
    assert card_due(with_intents(0), "pi_bal") is None
    assert card_due(with_intents(3_000, state="partially_paid"), "pi_dep") is None
    assert card_due(with_intents(3_000, state="partially_paid"), "pi_bal") == 7_001
    assert card_due(with_intents(10_001, state="paid"), "pi_bal") is None
    assert card_due(with_intents(3_000, state="refunded"), "pi_bal") is None
    one_go = order([], payment_intent_id="pi_all")
    assert card_due(one_go, "pi_all") == 10_001 and card_due(one_go, "pi_other") is None


def test_refunds_take_back_the_latest_money_first() -> None:
    assert latest_first(0, 5_000, [7_001, 3_000]) == [5_000, 0]
    assert latest_first(5_000, 4_000, [7_001, 3_000]) == [2_001, 1_999]
    assert latest_first(0, 2_000, [0, 3_000]) == [0, 2_000]
    paid = with_intents(10_001, state="paid", refunded_cents=8_000)
    assert card_payments(paid) == [("pi_bal", 7_001), ("pi_dep", 3_000)]
    assert (refunded_on(paid, "pi_bal"), refunded_on(paid, "pi_dep")) == (7_001, 999)
    partly = with_intents(3_000, state="partially_paid", refunded_cents=1_000)
    assert card_payments(partly) == [("pi_dep", 3_000)] and refunded_on(partly, "pi_dep") == 1_000


@given(
    refunds=st.lists(st.integers(min_value=1, max_value=4_000), max_size=6),
    caps=st.lists(st.integers(min_value=0, max_value=8_000), min_size=1, max_size=3),
)
def test_refunds_split_between_payments_never_exceed_them(refunds: list[int], caps: list[int]) -> None:
    given_back = [0] * len(caps)
    before = 0
    for amount in refunds:
        amount = min(amount, sum(caps) - before)
        parts = latest_first(before, amount, caps)
        assert sum(parts) == amount
        given_back = [g + p for g, p in zip(given_back, parts, strict=True)]
        before += amount
    assert all(g <= c for g, c in zip(given_back, caps, strict=True))


@pytest.mark.parametrize("vat_mode", ["incl", "excl"])
def test_the_deposit_and_final_invoices_sum_to_the_order(vat_mode: str) -> None:
    paid = with_intents(10_001, state="paid", vat_mode=vat_mode)
    deposit = amounts.compute(deposit_lines(paid), invoiceable(paid).vat_mode)
    final_invoice_lines = final_lines(paid, "FA-2026-00001")
    final = amounts.compute(final_invoice_lines, invoiceable(paid).vat_mode)
    whole = amounts.compute(invoiceable(paid).lines, invoiceable(paid).vat_mode)
    assert abs(deposit.gross_cents + final.gross_cents - whole.gross_cents) <= (
        0 if vat_mode == "incl" else 1
    )
    if vat_mode == "incl":
        assert deposit.gross_cents == 3_000
    assert {line.name.fr for line in final_invoice_lines if line.product_id == "deposit"} == {
        "Acompte facturé (FA-2026-00001)"
    }
    assert all(line.unit_price_cents < 0 for line in final_invoice_lines if line.product_id == "deposit")
