"""What checkout hands invoicing, pure: names in both locales, what a refund credits, and the billing
details an order needs to be invoiced."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from salon.checkout.domain.orders import Billing, Order, OrderLine, check_billing, order_totals
from salon.checkout.invoicing.domain import amounts
from salon.checkout.services.invoicer import invoice_line, refund_lines
from salon.kernel.errors import ValidationFailed
from salon.kernel.values import LocalizedText

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
ADDRESS = {"address_lines": ["1 rue de la Paix"], "postcode": "75002", "city": "Paris"}


def line(rate: str, cents: int, quantity: int = 1, **name: str) -> OrderLine:
    return OrderLine(
        product_id=f"p{rate}",
        name=LocalizedText.model_validate(name or {"fr": "Stand", "en": "Booth"}),
        quantity=quantity,
        unit_price_cents=cents,
        vat_rate=Decimal(rate),
    )


def order(*lines: OrderLine, vat_mode: str = "excl") -> Order:
    return Order(
        order_id="ord_1",
        event_id="evt_1",
        registration_id="reg_1",
        state="paid",
        payment_method="card",
        currency="EUR",
        vat_mode=vat_mode,  # type: ignore[arg-type]
        lines=list(lines),
        totals=order_totals(lines, vat_mode),  # type: ignore[arg-type]
        billing=Billing.model_validate({"company_name": "Acme", "country": "FR", **ADDRESS}),
        placed_by="sub-1",
        placed_at=NOW,
        hold_until=NOW + timedelta(minutes=30),
        paid_at=NOW,
    )


@pytest.mark.parametrize(
    ("given", "fr", "en"), [({"fr": "Déjeuner"}, "Déjeuner", "Déjeuner"), ({"en": "Lunch"}, "Lunch", "Lunch")]
)
def test_a_name_in_one_locale_is_invoiced_in_both(given: dict[str, str], fr: str, en: str) -> None:
    name = invoice_line(line("10", 2_000, **given)).name
    assert (name.fr, name.en) == (fr, en)


def test_a_refund_of_the_whole_order_credits_its_lines() -> None:
    sold = order(line("20", 10_000, 2), line("10", 2_000))
    assert refund_lines(sold, sold.total_cents) == [invoice_line(item) for item in sold.lines]


@pytest.mark.parametrize("vat_mode", ["excl", "incl"])
@pytest.mark.parametrize("amount", [1, 999, 12_345, 21_999])
def test_a_partial_refund_credits_its_amount_shared_by_rate(vat_mode: str, amount: int) -> None:
    sold = order(line("20", 10_000, 2), line("5.5", 2_000), vat_mode=vat_mode)
    assert amount < sold.total_cents
    credited = refund_lines(sold, amount)
    assert {item.vat_rate for item in credited} <= {Decimal("20"), Decimal("5.5")}
    gross = amounts.compute(
        credited, "excluding" if vat_mode == "excl" else "including", reverse_charge=False
    )
    assert abs(gross.gross_cents - amount) <= len(credited)  # prices excluding VAT round per rate


def test_an_order_without_billing_or_an_address_is_refused_on_the_field() -> None:
    with pytest.raises(ValidationFailed) as missing:
        check_billing(None)
    assert [e.field for e in missing.value.errors] == ["billing"]
    partial = Billing.model_validate({"company_name": "Acme", "country": "FR", "postcode": " "})
    with pytest.raises(ValidationFailed) as incomplete:
        check_billing(partial)
    assert [e.field for e in incomplete.value.errors] == [
        "billing.address_lines",
        "billing.postcode",
        "billing.city",
    ]


def test_a_vat_number_is_checked_at_placement() -> None:
    bad = Billing.model_validate({"company_name": "Acme", "country": "DE", "vat_number": "FR123", **ADDRESS})
    with pytest.raises(ValidationFailed) as refused:
        check_billing(bad)
    assert [e.field for e in refused.value.errors] == ["billing.vat_number"]
    good = Billing.model_validate(
        {"company_name": "Acme", "country": "DE", "vat_number": "DE136695976", **ADDRESS}
    )
    assert check_billing(good) == good
