"""Sample seller details and orders to invoice: the tests, the benchmark and the dev seed build their
invoices from these (checkout builds real ones from its orders)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from salon.checkout.invoicing.domain.order import (
    Billing,
    InvoiceableOrder,
    InvoiceLine,
    LocalizedName,
    VatMode,
)
from salon.checkout.invoicing.domain.seller import Seller
from salon.kernel.values import Locale

SELLER = Seller(
    legal_name="Salon Rencontres SAS",
    legal_form="SAS au capital de 10 000 €",
    address_lines=["12 rue de la Paix"],
    postcode="75002",
    city="Paris",
    siren="732829320",
    siret="73282932000074",
    vat_number="FR44732829320",
    rcs="RCS Paris 732 829 320",
    iban="FR7630006000011234567890189",
)
FRENCH_BUYER = Billing(
    company_name="Atelier Dupré SARL",
    address_lines=["4 quai des Chartrons"],
    postcode="33000",
    city="Bordeaux",
    country="FR",
    vat_number="FR40303265045",
    purchase_order="BC-2026-118",
)
GERMAN_BUYER = Billing(
    company_name="Łódź Präzision GmbH",
    address_lines=["Hauptstraße 1"],
    postcode="10115",
    city="Berlin",
    country="DE",
    vat_number="DE136695976",
)


def line(product_id: str, fr: str, en: str, quantity: int, cents: int, rate: str = "20") -> InvoiceLine:
    return InvoiceLine(
        product_id=product_id,
        name=LocalizedName(fr=fr, en=en),
        quantity=quantity,
        unit_price_cents=cents,
        vat_rate=Decimal(rate),
    )


LINES = (
    line("pkg_exhibitor", "Forfait exposant", "Exhibitor package", 1, 125_000),
    line("opt_participant", "Participant supplémentaire", "Extra participant", 2, 19_000),
    line("opt_lunch", "Déjeuner", "Lunch", 3, 3_333, "10"),
    line("promo_SUMMER", "Code promo SUMMER", "Promo code SUMMER", 1, -10_000),
)


def order(
    order_id: str = "ord_sample",
    *,
    event_id: str = "evt_sample",
    registration_id: str = "reg_sample",
    billing: Billing = FRENCH_BUYER,
    locale: Locale = "fr",
    vat_mode: VatMode = "excluding",
    paid: bool = True,
    lines: tuple[InvoiceLine, ...] = LINES,
) -> InvoiceableOrder:
    placed = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    return InvoiceableOrder(
        order_id=order_id,
        event_id=event_id,
        registration_id=registration_id,
        vat_mode=vat_mode,
        lines=list(lines),
        billing=billing,
        buyer_locale=locale,
        payment_method="card" if paid else "transfer",
        placed_at=placed,
        paid_at=placed if paid else None,
    )
