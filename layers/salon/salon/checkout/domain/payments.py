"""Payments recorded by the organiser (transfer, cheque, purchase order) and refunds."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field

from salon.kernel.values import StrictModel


class PaymentInput(StrictModel):
    amount_cents: int = Field(ge=1, le=100_000_000)
    received_on: date
    reference: Annotated[str, Field(min_length=1, max_length=100)]


class RefundInput(StrictModel):
    """Refund ``amount_cents`` (the whole amount paid and not yet refunded when left out)."""

    amount_cents: int | None = Field(default=None, ge=1, le=100_000_000)
    reason: Annotated[str, Field(min_length=1, max_length=300)]
