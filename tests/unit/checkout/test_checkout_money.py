"""VAT and totals in integer cents: per-rate rounding, prices including or excluding VAT, promo discounts."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from salon.checkout.domain.money import Amount, discount, rate_total, round_cents, spread, totals
from salon.checkout.domain.orders import order_totals, priced_lines
from salon.checkout.domain.products import Product
from salon.checkout.domain.promo import Promo

RATES = st.sampled_from([Decimal("0"), Decimal("2.1"), Decimal("5.5"), Decimal("10"), Decimal("20")])
AMOUNTS = st.lists(st.tuples(st.integers(0, 5_000_000), RATES), min_size=1, max_size=12)
NOW = datetime(2026, 3, 1, tzinfo=UTC)


def test_a_line_excluding_vat_adds_the_rate_rounded_half_up() -> None:
    assert rate_total(Decimal("20"), 90_000, "excl").vat_cents == 18_000
    assert rate_total(Decimal("5.5"), 1_010, "excl").vat_cents == 56  # 55.55 -> 56
    assert rate_total(Decimal("5.5"), 1_000, "excl").vat_cents == 55  # 55.0
    assert round_cents(Decimal("0.5")) == 1 and round_cents(Decimal("-0.5")) == -1


def test_a_price_including_vat_is_split_into_net_and_vat() -> None:
    split = rate_total(Decimal("20"), 108_000, "incl")
    assert (split.net_cents, split.vat_cents) == (90_000, 18_000)


def test_vat_is_rounded_once_per_rate_not_per_line() -> None:
    # Three lines of 0.05 EUR at 10 %: per line 0.005 -> 0.01 each (0.03); on the sum 0.015 -> 0.02.
    result = totals([Amount(5, Decimal("10"))] * 3, "excl")
    assert result.vat_cents == 2 and result.gross_cents == 17


@given(AMOUNTS)
def test_excluding_vat_totals_are_net_plus_vat_per_rate(amounts: list[tuple[int, Decimal]]) -> None:
    result = totals([Amount(c, r) for c, r in amounts], "excl")
    assert result.net_cents == sum(c for c, _ in amounts)
    assert result.gross_cents == result.net_cents + result.vat_cents
    assert result.vat_cents == sum(r.vat_cents for r in result.by_rate)
    for rate in result.by_rate:
        exact = Decimal(rate.net_cents) * rate.vat_rate / 100
        assert abs(Decimal(rate.vat_cents) - exact) <= Decimal("0.5")


@given(AMOUNTS)
def test_including_vat_totals_keep_the_price_paid_to_the_cent(amounts: list[tuple[int, Decimal]]) -> None:
    result = totals([Amount(c, r) for c, r in amounts], "incl")
    assert result.gross_cents == sum(c for c, _ in amounts)
    assert all(r.net_cents >= 0 and r.vat_cents >= 0 for r in result.by_rate)
    for rate in result.by_rate:
        exact_vat = Decimal(rate.net_cents) * rate.vat_rate / 100
        assert abs(Decimal(rate.vat_cents) - exact_vat) <= Decimal("0.5") + rate.vat_rate / 200


@given(st.integers(0, 10_000_000), st.lists(st.integers(0, 1_000_000), min_size=1, max_size=10))
def test_spreading_an_amount_sums_exactly_and_follows_the_weights(total: int, weights: list[int]) -> None:
    shares = spread(total, weights)
    if sum(weights) == 0:
        assert shares == [0] * len(weights)
        return
    assert sum(shares) == total
    for share, weight in zip(shares, weights, strict=True):
        assert abs(share - total * weight / sum(weights)) < 1


@given(st.lists(st.integers(0, 1_000_000), min_size=1, max_size=10), st.integers(1, 5_000_000))
def test_an_amount_off_never_exceeds_what_the_lines_cost(lines: list[int], value: int) -> None:
    off = discount(lines, "amount", value)
    assert sum(off) == min(value, sum(lines))
    assert all(0 <= o <= line for o, line in zip(off, lines, strict=True))


@given(st.lists(st.integers(0, 1_000_000), min_size=1, max_size=10), st.integers(1, 100))
def test_a_percentage_off_is_each_lines_share_rounded(lines: list[int], percent: int) -> None:
    off = discount(lines, "percent", percent)
    assert all(0 <= o <= line for o, line in zip(off, lines, strict=True))
    assert abs(sum(off) - sum(lines) * percent / 100) <= len(lines) / 2


def product(product_id: str, price: int, rate: str) -> Product:
    return Product.model_validate(
        {
            "product_id": product_id,
            "event_id": "evt_1",
            "kind": "option",
            "name": {"fr": product_id},
            "price_cents": price,
            "vat_rate": rate,
            "created_at": NOW,
        }
    )


def promo(**fields: object) -> Promo:
    return Promo.model_validate({"code": "EARLY", "event_id": "evt_1", "created_at": NOW, **fields})


def test_a_promo_code_is_one_negative_line_per_vat_rate_of_the_lines_it_applies_to() -> None:
    chosen = [
        (product("stand", 100_000, "20"), 1),
        (product("lunch", 3_000, "10"), 2),
        (product("wifi", 999, "20"), 1),
    ]
    lines = priced_lines(chosen, promo(kind="percent", value=10, product_ids=["stand", "lunch"]))
    discounts = [(line.vat_rate, line.amount_cents) for line in lines if not line.product_id]
    assert discounts == [(Decimal("10"), -600), (Decimal("20"), -10_000)]
    result = order_totals(lines, "excl")
    assert result.net_cents == 100_000 + 6_000 + 999 - 10_600
    assert result.gross_cents == result.net_cents + result.vat_cents


@given(
    st.lists(st.tuples(st.integers(0, 2_000_000), st.integers(1, 5), RATES), min_size=1, max_size=6),
    st.sampled_from(["percent", "amount"]),
    st.integers(1, 3_000_000),
    st.sampled_from(["excl", "incl"]),
)
def test_an_order_never_totals_below_zero_and_adds_up(
    wanted: list[tuple[int, int, Decimal]], kind: str, value: int, vat_mode: str
) -> None:
    chosen = [
        (product(f"p{i}", price, str(rate)), quantity) for i, (price, quantity, rate) in enumerate(wanted)
    ]
    lines = priced_lines(chosen, promo(kind=kind, value=min(value, 100) if kind == "percent" else value))
    result = order_totals(lines, vat_mode)  # type: ignore[arg-type]
    assert result.gross_cents == result.net_cents + result.vat_cents
    assert all(r.net_cents >= 0 for r in result.by_rate)
    if vat_mode == "incl":
        assert result.gross_cents == sum(line.amount_cents for line in lines)
