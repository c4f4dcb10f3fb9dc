"""Reverse charge (autoliquidation): a business buyer established in another EU member state, with a
valid VAT number, accounts for the VAT itself (directive 2006/112/EC, art. 196; CGI art. 283-2).

The number's format and checksum are checked here (python-stdnum); that it is registered is asked of
VIES by the service, through an adapter."""

from __future__ import annotations

from stdnum.eu import vat

from salon.checkout.invoicing.domain.order import Billing

EU_MEMBERS = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)
_VAT_PREFIX = {"GR": "EL"}  # Greece's VAT numbers start with EL


def vat_number_problem(country: str, number: str | None) -> str | None:
    """Why a buyer's VAT number cannot be used (None if it can, or if there is none)."""
    if number is None:
        return None
    if not vat.is_valid(number):
        return "not a valid EU VAT number (format and checksum)"
    if country in EU_MEMBERS and not vat.compact(number).startswith(_VAT_PREFIX.get(country, country)):
        return f"a VAT number of {country} must start with {_VAT_PREFIX.get(country, country)}"
    return None


def candidate(billing: Billing, seller_country: str) -> str | None:
    """The VAT number to confirm with VIES when the buyer may be reverse charged, else None."""
    if billing.country not in EU_MEMBERS or billing.country == seller_country or billing.vat_number is None:
        return None
    if vat_number_problem(billing.country, billing.vat_number) is not None:
        return None
    return str(vat.compact(billing.vat_number))
