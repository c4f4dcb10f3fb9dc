"""Promo codes: a percentage or an amount off some products, during a period, a limited number of times."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, model_validator

from salon.kernel.values import Instant, StrictModel

PromoCode = Annotated[str, Field(pattern=r"^[A-Z0-9][A-Z0-9_-]{2,31}$")]


class PromoInput(StrictModel):
    code: PromoCode
    kind: Literal["percent", "amount"]
    value: int = Field(ge=1, le=100_000_000)  # percent (1-100) or cents off the eligible lines
    product_ids: list[Annotated[str, Field(max_length=64)]] = Field(default_factory=list, max_length=100)
    valid_from: Instant | None = None
    valid_until: Instant | None = None
    max_uses: int | None = Field(default=None, ge=1, le=1_000_000)

    @model_validator(mode="after")
    def _coherent(self) -> PromoInput:
        if self.kind == "percent" and self.value > 100:
            raise ValueError("a percentage is at most 100")
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            raise ValueError("valid_until must be after valid_from")
        return self


class Promo(PromoInput):
    model_config = ConfigDict(extra="ignore", defer_build=True)

    event_id: str
    uses: int = 0  # orders holding the code (pending or paid)
    created_at: datetime

    def valid_at(self, now: datetime) -> bool:
        return (self.valid_from is None or self.valid_from <= now) and (
            self.valid_until is None or now < self.valid_until
        )

    def applies_to(self, product_id: str) -> bool:
        return not self.product_ids or product_id in self.product_ids
