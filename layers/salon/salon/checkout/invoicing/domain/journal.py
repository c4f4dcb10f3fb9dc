"""The organisers' accounting journal of an event's sales: one row per document and VAT rate (credit
notes negative), in the organiser's locale, for a spreadsheet."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from salon.checkout.invoicing.domain.invoice import IssuedInvoice, Kind
from salon.kernel.spreadsheets import Cell, safe_text
from salon.kernel.values import Locale

HEADERS: dict[Locale, tuple[str, ...]] = {
    "fr": (
        "Date",
        "Numéro",
        "Type",
        "Facture d'origine",
        "Commande",
        "Client",
        "Pays",
        "N° TVA client",
        "Taux TVA",
        "Catégorie TVA",
        "Base HT",
        "TVA",
        "TTC",
        "Devise",
    ),
    "en": (
        "Date",
        "Number",
        "Kind",
        "Credited invoice",
        "Order",
        "Buyer",
        "Country",
        "Buyer VAT number",
        "VAT rate",
        "VAT category",
        "Base excl. VAT",
        "VAT",
        "Incl. VAT",
        "Currency",
    ),
}
KINDS: dict[Locale, dict[Kind, str]] = {
    "fr": {"invoice": "facture", "deposit_invoice": "facture d'acompte", "credit_note": "avoir"},
    "en": {"invoice": "invoice", "deposit_invoice": "deposit invoice", "credit_note": "credit note"},
}


def rows(documents: Sequence[IssuedInvoice], locale: Locale) -> list[list[Cell]]:
    """The header, then one row per document and VAT rate, by number."""
    table: list[list[Cell]] = [list(HEADERS[locale])]
    for doc in sorted(documents, key=lambda d: d.number):
        sign = -1 if doc.kind == "credit_note" else 1
        credited = doc.credited_invoice.number if doc.credited_invoice else ""
        for rate in doc.vat:
            table.append(
                [
                    doc.issue_date.isoformat(),
                    doc.number,
                    KINDS[locale][doc.kind],
                    credited,
                    doc.order_id,
                    safe_text(doc.buyer.company_name),
                    doc.buyer.country,
                    doc.buyer.vat_number or "",
                    f"{rate.rate.normalize():f}",
                    rate.category,
                    _units(sign * rate.base_cents),
                    _units(sign * rate.vat_cents),
                    _units(sign * (rate.base_cents + rate.vat_cents)),
                    doc.currency,
                ]
            )
    return table


def _units(cents: int) -> str:
    return f"{Decimal(cents) / 100:.2f}"
