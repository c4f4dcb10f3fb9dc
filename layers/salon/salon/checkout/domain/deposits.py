"""Paying an order in two instalments, when the event's organiser allows it (its ``deposit`` terms).

The deposit is ``percent`` of the order's total (including VAT), rounded half up to the cent; the
balance is the rest, so the two always sum to the total exactly. The deposit is due as an ordinary
payment (card: at once; offline: within the configured days), the balance ``balance_due_days`` before
the event starts. Money received covers the instalments in order. A refund takes back the latest money
first: the balance, then the deposit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

from salon.checkout.domain.money import HUNDRED, round_cents
from salon.kernel.errors import FieldError, ValidationFailed
from salon.registration.domain.events import DepositTerms

Schedule = Literal["full", "deposit"]
InstalmentPart = Literal["deposit", "balance"]


class Instalment(BaseModel):
    model_config = ConfigDict(defer_build=True)

    part: InstalmentPart
    amount_cents: int
    due_at: datetime
    state: Literal["due", "paid"] = "due"
    paid_at: datetime | None = None
    payment_intent_id: str | None = None  # card: the PaymentIntent paying it


def split(total_cents: int, percent: int) -> tuple[int, int]:
    """(deposit, balance) of ``total_cents``: ``percent`` of it rounded half up, and the rest."""
    deposit = round_cents(Decimal(total_cents) * Decimal(percent) / HUNDRED)
    return deposit, total_cents - deposit


def _refused(message: str) -> ValidationFailed:
    return ValidationFailed(message, errors=[FieldError("payment_schedule", message)])


def plan(
    total_cents: int, terms: DepositTerms | None, event_starts_at: datetime, deposit_due_at: datetime
) -> list[Instalment]:
    """The order's deposit and balance (422 on ``payment_schedule`` when the event takes no deposit,
    when the balance would fall due with the deposit, or when the total is too small to split)."""
    if terms is None:
        raise _refused("this event does not take deposits")
    balance_due_at = event_starts_at - timedelta(days=terms.balance_due_days)
    if balance_due_at <= deposit_due_at:
        raise _refused("too close to the event: the balance would be due with the deposit")
    deposit, balance = split(total_cents, terms.percent)
    if deposit <= 0 or balance <= 0:
        raise _refused("the total is too small to be paid in two instalments")
    return [
        Instalment(part="deposit", amount_cents=deposit, due_at=deposit_due_at),
        Instalment(part="balance", amount_cents=balance, due_at=balance_due_at),
    ]


def covered(instalments: Sequence[Instalment], paid_cents: int, now: datetime) -> list[Instalment]:
    """The instalments with those the money received covers (in order) marked paid at ``now``."""
    result: list[Instalment] = []
    reached = 0
    for instalment in instalments:
        reached += instalment.amount_cents
        if instalment.state == "due" and paid_cents >= reached:
            instalment = instalment.model_copy(update={"state": "paid", "paid_at": now})
        result.append(instalment)
    return result


def latest_first(refunded_before: int, amount_cents: int, capacities: Sequence[int]) -> list[int]:
    """What each payment (listed latest first, with what it brought) gives back of a refund of
    ``amount_cents``, when ``refunded_before`` was given back already in the same order."""
    parts: list[int] = []
    low, start, end = 0, refunded_before, refunded_before + amount_cents
    for capacity in capacities:
        high = low + capacity
        parts.append(max(0, min(end, high) - max(start, low)))
        low = high
    return parts
