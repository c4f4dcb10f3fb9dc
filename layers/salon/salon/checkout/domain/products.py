"""Products an event sells: packages (one per participation type: participants and a meeting quota
included) and options, with their price, VAT rate, stock, sale window and who may buy them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from salon.kernel.values import Instant, LocalizedText, StrictModel

ProductKind = Literal["package", "option"]
Code = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,31}$")]
VatRate = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]


class ProductInput(StrictModel):
    """A product as the organiser creates it. ``price_cents`` is excluding or including VAT per the
    event's ``vat_mode``."""

    kind: ProductKind
    name: LocalizedText
    description: LocalizedText | None = None
    price_cents: int = Field(ge=0, le=100_000_000)
    vat_rate: VatRate = Decimal("20.0")
    participants_included: int = Field(default=0, ge=0, le=100)
    meeting_quota: int = Field(default=0, ge=0, le=1000)  # meetings a paid unit adds to the company's quota
    stock: int | None = Field(default=None, ge=0, le=1_000_000)
    max_per_company: int | None = Field(default=None, ge=1, le=1000)
    sale_starts_at: Instant | None = None
    sale_ends_at: Instant | None = None
    visible_to: list[Code] = Field(default_factory=list, max_length=50)  # participation types; empty: all

    @model_validator(mode="after")
    def _coherent(self) -> ProductInput:
        if self.sale_starts_at and self.sale_ends_at and self.sale_ends_at <= self.sale_starts_at:
            raise ValueError("sale_ends_at must be after sale_starts_at")
        if self.kind == "package" and len(self.visible_to) != 1:
            raise ValueError("a package is sold to exactly one participation type (visible_to)")
        return self


class Product(ProductInput):
    model_config = ConfigDict(extra="ignore", defer_build=True)

    product_id: str
    event_id: str
    sold: int = 0  # units held by live orders (pending or paid)
    created_at: datetime

    def on_sale(self, now: datetime) -> bool:
        starts, ends = self.sale_starts_at, self.sale_ends_at
        return (starts is None or starts <= now) and (ends is None or now < ends)

    def visible_for(self, participation_type: str) -> bool:
        return not self.visible_to or participation_type in self.visible_to


class ProductPage(BaseModel):
    model_config = ConfigDict(defer_build=True)

    items: list[Product]
