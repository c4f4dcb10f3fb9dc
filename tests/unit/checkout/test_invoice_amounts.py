"""VAT and totals in integer cents: exact examples, then properties over random orders."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from localcloud.invoice_samples import line
from salon.checkout.invoicing.domain.amounts import compute, round_cents
from salon.checkout.invoicing.domain.order import InvoiceLine, LocalizedName, VatMode

RATES = [Decimal(r) for r in ("0", "2.1", "5.5", "10", "20")]


def test_excluding_vat_is_computed_per_rate_on_the_sum_of_its_lines() -> None:
    # 3 x 33.33 at 10 %: per line 3.333 -> 3.33 x 3 = 9.99 would lose a cent; per rate 99.99 x 10 % = 10.00
    amounts = compute([line("a", "A", "A", 3, 3_333, "10"), line("b", "B", "B", 1, 1_000, "20")], "excluding")
    assert [(r.rate, r.base_cents, r.vat_cents) for r in amounts.rates] == [
        (Decimal(10), 9_999, 1_000),
        (Decimal(20), 1_000, 200),
    ]
    assert (amounts.net_cents, amounts.vat_cents, amounts.gross_cents) == (10_999, 1_200, 12_199)


def test_including_vat_keeps_the_price_paid_and_extracts_the_base() -> None:
    amounts = compute([line("a", "A", "A", 1, 10_000), line("b", "B", "B", 1, 1_000)], "including")
    (rate,) = amounts.rates
    assert (rate.base_cents, rate.vat_cents, amounts.gross_cents) == (9_167, 1_833, 11_000)
    assert [a.net_cents for a in amounts.lines] == [8_334, 833]  # the residue cent went to the larger line


def test_a_promo_line_lowers_its_rate_base() -> None:
    amounts = compute(
        [line("p", "P", "P", 2, 50_000), line("promo", "Promo", "Promo", 1, -10_000)], "excluding"
    )
    assert (amounts.net_cents, amounts.vat_cents) == (90_000, 18_000)


def test_reverse_charge_has_one_zero_rate_of_category_ae_over_the_bases() -> None:
    lines = [line("a", "A", "A", 1, 12_000), line("b", "B", "B", 1, 1_100, "10")]
    amounts = compute(lines, "including", reverse_charge=True)
    assert [(r.rate, r.category, r.base_cents, r.vat_cents) for r in amounts.rates] == [
        (Decimal(0), "AE", 10_000 + 1_000, 0)
    ]
    assert amounts.gross_cents == amounts.net_cents == 11_000


def test_rounding_is_half_away_from_zero() -> None:
    assert [round_cents(Decimal(v)) for v in ("0.5", "1.5", "-0.5", "2.49")] == [1, 2, -1, 2]


lines_strategy = st.lists(
    st.builds(
        InvoiceLine,
        product_id=st.just("p"),
        name=st.just(LocalizedName(fr="x", en="x")),
        quantity=st.integers(1, 500),
        unit_price_cents=st.integers(-50_000, 2_000_000),
        vat_rate=st.sampled_from(RATES),
    ),
    min_size=1,
    max_size=12,
)


@given(lines_strategy, st.sampled_from(["excluding", "including"]))
def test_lines_add_up_to_the_totals_and_each_rate(lines: list[InvoiceLine], mode: VatMode) -> None:
    amounts = compute(lines, mode)
    assert sum(a.net_cents for a in amounts.lines) == amounts.net_cents
    for rate in amounts.rates:
        members = [a.net_cents for a in amounts.lines if a.line.vat_rate == rate.rate]
        assert sum(members) == rate.base_cents
    assert amounts.gross_cents == amounts.net_cents + amounts.vat_cents
    assert [r.rate for r in amounts.rates] == sorted({line.vat_rate for line in lines})


@given(lines_strategy)
def test_excluding_vat_per_rate_is_the_rounded_exact_vat(lines: list[InvoiceLine]) -> None:
    for rate in compute(lines, "excluding").rates:
        exact = Decimal(rate.base_cents) * rate.rate / 100
        assert abs(rate.vat_cents - exact) <= Decimal("0.5")


@given(lines_strategy)
def test_including_vat_charges_exactly_the_prices_shown(lines: list[InvoiceLine]) -> None:
    amounts = compute(lines, "including")
    assert amounts.gross_cents == sum(line.quantity * line.unit_price_cents for line in lines)
    for rate in amounts.rates:
        gross = rate.base_cents + rate.vat_cents
        # the base is the gross without its VAT, to the cent: VAT = base x rate, within a cent's rounding
        assert abs(Decimal(rate.base_cents) * (100 + rate.rate) / 100 - gross) <= Decimal("0.5") * (
            1 + rate.rate / 100
        )


@given(lines_strategy, st.sampled_from(["excluding", "including"]))
def test_reverse_charge_keeps_the_bases_and_drops_the_vat(lines: list[InvoiceLine], mode: VatMode) -> None:
    normal, reversed_ = compute(lines, mode), compute(lines, mode, reverse_charge=True)
    assert reversed_.net_cents == normal.net_cents == reversed_.gross_cents
    assert reversed_.vat_cents == 0
    assert [a.net_cents for a in reversed_.lines] == [a.net_cents for a in normal.lines]
