"""The organiser's company as the seller on its invoices (one per tenant), with what French law asks
an invoice to say of it (Code de commerce, art. L441-9 and R123-237; CGI, art. 242 nonies A)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field, field_validator
from stdnum.eu import vat
from stdnum.fr import siren, siret

from salon.checkout.invoicing.domain.order import Model, Text

# A bare legal minimum is three times the legal interest rate; most sellers state a higher one.
DEFAULT_LATE_PENALTY_RATE = Decimal("12.00")
RECOVERY_INDEMNITY_EUR = 40  # Code de commerce, art. D441-5: fixed, for business buyers


class Seller(Model):
    legal_name: Text
    legal_form: Annotated[str | None, Field(max_length=100)] = None  # e.g. "SAS au capital de 10 000 €"
    address_lines: Annotated[list[Text], Field(min_length=1, max_length=3)]
    postcode: Annotated[str, Field(min_length=1, max_length=16)]
    city: Text
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] = "FR"
    siren: str
    siret: str
    vat_number: str
    rcs: Annotated[str | None, Field(max_length=100)] = None  # e.g. "RCS Paris"
    iban: Annotated[str | None, Field(max_length=34)] = None  # shown for transfers
    invoice_prefix: Annotated[str, Field(pattern=r"^[A-Z0-9]{1,10}$")] = "FA"
    late_penalty_rate: Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)] = (
        DEFAULT_LATE_PENALTY_RATE
    )
    payment_terms_days: Annotated[int, Field(ge=0, le=60)] = 30  # due date of unpaid orders

    @field_validator("siren")
    @classmethod
    def _siren(cls, value: str) -> str:
        if not siren.is_valid(value):
            raise ValueError("not a valid SIREN (9 digits, Luhn checksum)")
        return siren.compact(value)

    @field_validator("siret")
    @classmethod
    def _siret(cls, value: str) -> str:
        if not siret.is_valid(value):
            raise ValueError("not a valid SIRET (14 digits, checksum)")
        return siret.compact(value)

    @field_validator("vat_number")
    @classmethod
    def _vat(cls, value: str) -> str:
        if not vat.is_valid(value):
            raise ValueError("not a valid EU VAT number (format and checksum)")
        return vat.compact(value)
