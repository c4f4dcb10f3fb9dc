"""Invoice amounts in integer cents: lines, VAT per rate and totals.

Rounding, the same for invoices and credit notes (EN 16931's model: VAT is computed per rate, on the
sum of that rate's lines, never summed from rounded per-line VAT):

- a line's amount is ``quantity x unit price`` (exact, cents);
- prices excluding VAT: a rate's base is the sum of its lines' amounts; its VAT is
  ``base x rate / 100`` rounded half away from zero to the cent;
- prices including VAT: a rate's gross is the sum of its lines' amounts; its base is
  ``gross x 100 / (100 + rate)`` rounded the same way and its VAT is ``gross - base`` (so the
  buyer pays exactly the prices shown). Each line's amount excluding VAT is its own rounded share,
  and the cent or so the rounding leaves between the lines and their rate goes to the line of
  largest amount, so a rate's lines always add up to its base;
- reverse charge: no VAT; one rate 0 of category AE over all the bases, computed as above (so a
  price including VAT is invoiced at its amount excluding VAT);
- totals: excluding VAT = sum of bases = sum of lines; VAT = sum of the rates' VAT; including VAT =
  the two added.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from salon.checkout.invoicing.domain.order import InvoiceLine, VatMode

VatCategory = Literal["S", "Z", "AE"]  # standard, zero rated, reverse charge (UNTDID 5305)
HUNDRED = Decimal(100)


def round_cents(value: Decimal) -> int:
    """To the cent, half away from zero (symmetric for credits and discounts)."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class LineAmount:
    line: InvoiceLine
    net_cents: int  # the line's amount excluding VAT

    @property
    def unit_net(self) -> Decimal:
        """Unit price excluding VAT, in currency units (4 decimals when prices include VAT)."""
        return (Decimal(self.net_cents) / self.line.quantity / HUNDRED).quantize(Decimal("0.0001"))


@dataclass(frozen=True)
class RateTotal:
    rate: Decimal
    category: VatCategory
    base_cents: int
    vat_cents: int


@dataclass(frozen=True)
class Amounts:
    lines: tuple[LineAmount, ...]
    rates: tuple[RateTotal, ...]  # by ascending rate

    @property
    def net_cents(self) -> int:
        return sum(r.base_cents for r in self.rates)

    @property
    def vat_cents(self) -> int:
        return sum(r.vat_cents for r in self.rates)

    @property
    def gross_cents(self) -> int:
        return self.net_cents + self.vat_cents


def compute(lines: Sequence[InvoiceLine], vat_mode: VatMode, *, reverse_charge: bool = False) -> Amounts:
    by_rate: dict[Decimal, list[int]] = {}
    for index, line in enumerate(lines):
        by_rate.setdefault(line.vat_rate, []).append(index)
    nets = [0] * len(lines)
    rates: list[RateTotal] = []
    for rate in sorted(by_rate):
        members = by_rate[rate]
        amounts = [lines[i].quantity * lines[i].unit_price_cents for i in members]
        total = sum(amounts)
        if vat_mode == "excluding":
            base, shares = total, amounts
            vat = round_cents(Decimal(base) * rate / HUNDRED)
        else:
            base = round_cents(Decimal(total) * HUNDRED / (HUNDRED + rate))
            vat = total - base
            shares = _shares(amounts, rate, base)
        for i, share in zip(members, shares, strict=True):
            nets[i] = share
        rates.append(RateTotal(rate, "Z" if rate == 0 else "S", base, vat))
    if reverse_charge:  # no VAT at all: one category, rate 0, over the bases (EN 16931, BR-AE)
        rates = [RateTotal(Decimal(0), "AE", sum(r.base_cents for r in rates), 0)]
    return Amounts(tuple(LineAmount(line, net) for line, net in zip(lines, nets, strict=True)), tuple(rates))


def _shares(gross_amounts: list[int], rate: Decimal, base: int) -> list[int]:
    """Each line's amount excluding VAT; the residue of rounding goes to the largest line."""
    shares = [round_cents(Decimal(g) * HUNDRED / (HUNDRED + rate)) for g in gross_amounts]
    largest = max(range(len(shares)), key=lambda i: (abs(gross_amounts[i]), -i))
    shares[largest] += base - sum(shares)
    return shares
