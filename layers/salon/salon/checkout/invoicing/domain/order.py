"""What checkout hands to invoicing: a placed (or paid) order, its lines and the buyer's billing details.

Prices are integer cents, excluding or including VAT as the event's ``vat_mode`` says; a promo code is a
line with a negative unit price (at the VAT rate of what it discounts).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from salon.kernel.values import Locale

VatMode = Literal["excluding", "including"]
PaymentMethod = Literal["card", "transfer", "cheque", "purchase_order"]
MAX_LINES = 50
MAX_CENTS = 100_000_000_00  # one hundred million euros: no sale of an event comes near

Text = Annotated[str, Field(min_length=1, max_length=200)]
VatRate = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class LocalizedName(Model):
    fr: Text
    en: Text

    def of(self, locale: Locale) -> str:
        return self.fr if locale == "fr" else self.en


class InvoiceLine(Model):
    product_id: Annotated[str, Field(min_length=1, max_length=64)]
    name: LocalizedName
    quantity: Annotated[int, Field(ge=1, le=10_000)]
    unit_price_cents: Annotated[int, Field(ge=-MAX_CENTS, le=MAX_CENTS)]  # negative: a discount
    vat_rate: VatRate


class Billing(Model):
    company_name: Text
    address_lines: Annotated[list[Text], Field(min_length=1, max_length=3)]
    postcode: Annotated[str, Field(min_length=1, max_length=16)]
    city: Text
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    vat_number: Annotated[str | None, Field(max_length=20)] = None
    purchase_order: Annotated[str | None, Field(max_length=64)] = None

    @field_validator("vat_number")
    @classmethod
    def _compact(cls, value: str | None) -> str | None:
        if value is None:
            return None
        compact = "".join(value.split()).replace(".", "").replace("-", "").upper()
        return compact or None


class InvoiceableOrder(Model):
    order_id: Annotated[str, Field(min_length=1, max_length=64)]
    event_id: Annotated[str, Field(min_length=1, max_length=64)]
    registration_id: Annotated[str, Field(min_length=1, max_length=64)]
    currency: Literal["EUR"] = "EUR"
    vat_mode: VatMode
    lines: Annotated[list[InvoiceLine], Field(min_length=1, max_length=MAX_LINES)]
    billing: Billing
    buyer_locale: Locale = "fr"
    payment_method: PaymentMethod
    placed_at: AwareDatetime
    paid_at: AwareDatetime | None = None
    due_at: AwareDatetime | None = None

    def sale_date(self) -> datetime:
        """When the sale took place (the service is sold when the order is placed)."""
        return self.placed_at
