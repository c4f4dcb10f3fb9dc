"""Amounts in integer cents, VAT per rate, and the discount of a promo code spread over the lines.

Prices are stored as the organiser enters them: excluding VAT or including VAT, per the event's
``vat_mode``. Totals are computed per VAT rate on the sum of that rate's lines (one rounding per rate,
half up, as an invoice shows them), so the total including VAT is always net + VAT to the cent.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

VatMode = Literal["incl", "excl"]
HUNDRED = Decimal(100)


def round_cents(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Amount:
    """What a line costs, in the event's VAT mode (a discount is negative)."""

    cents: int
    vat_rate: Decimal  # percent, e.g. Decimal("20.0")


class RateTotal(BaseModel):
    model_config = ConfigDict(defer_build=True, frozen=True)

    vat_rate: Decimal
    net_cents: int
    vat_cents: int


class Totals(BaseModel):
    model_config = ConfigDict(defer_build=True, frozen=True)

    net_cents: int
    vat_cents: int
    gross_cents: int
    by_rate: list[RateTotal]


def rate_total(vat_rate: Decimal, cents: int, vat_mode: VatMode) -> RateTotal:
    """Net and VAT of one rate's amount: ``cents`` excludes VAT in ``excl`` mode, includes it in ``incl``."""
    if vat_mode == "excl":
        vat = round_cents(Decimal(cents) * vat_rate / HUNDRED)
        return RateTotal(vat_rate=vat_rate, net_cents=cents, vat_cents=vat)
    net = round_cents(Decimal(cents) * HUNDRED / (HUNDRED + vat_rate))
    return RateTotal(vat_rate=vat_rate, net_cents=net, vat_cents=cents - net)


def totals(amounts: Sequence[Amount], vat_mode: VatMode) -> Totals:
    per_rate: dict[Decimal, int] = defaultdict(int)
    for amount in amounts:
        per_rate[amount.vat_rate] += amount.cents
    by_rate = [rate_total(rate, cents, vat_mode) for rate, cents in sorted(per_rate.items())]
    net = sum(r.net_cents for r in by_rate)
    vat = sum(r.vat_cents for r in by_rate)
    return Totals(net_cents=net, vat_cents=vat, gross_cents=net + vat, by_rate=by_rate)


def spread(total: int, weights: Sequence[int]) -> list[int]:
    """``total`` split in proportion to ``weights`` to the cent (largest remainders), summing exactly."""
    whole = sum(weights)
    if whole <= 0:
        return [0 for _ in weights]
    shares = [total * w // whole for w in weights]
    remainders = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in remainders[: total - sum(shares)]:
        shares[i] += 1
    return shares


def discount(eligible: Sequence[int], kind: Literal["percent", "amount"], value: int) -> list[int]:
    """The discount (positive cents) on each eligible line's amount: ``value`` percent of each, or
    ``value`` cents spread over them, never more than a line costs."""
    if kind == "percent":
        return [round_cents(Decimal(cents) * Decimal(value) / HUNDRED) for cents in eligible]
    return spread(min(value, sum(eligible)), eligible)
