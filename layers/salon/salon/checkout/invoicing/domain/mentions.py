"""The words of an invoice in the buyer's locale, and its legal mentions (French law: Code de commerce
art. L441-9, L441-10 and D441-5; CGI art. 242 nonies A and 283-2), and those of a deposit invoice and of
the final invoice deducting it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from salon.checkout.invoicing.domain.invoice import IssuedInvoice
from salon.checkout.invoicing.domain.seller import RECOVERY_INDEMNITY_EUR
from salon.kernel.values import Locale

LABELS: dict[Locale, dict[str, str]] = {
    "fr": {
        "invoice": "FACTURE",
        "deposit_invoice": "FACTURE D'ACOMPTE",
        "credit_note": "AVOIR",
        "number": "N°",
        "issue_date": "Date d'émission",
        "sale_date": "Date de la vente",
        "due_date": "Date d'échéance",
        "paid_on": "Payée le",
        "seller": "Vendeur",
        "buyer": "Client",
        "vat_number": "N° TVA",
        "purchase_order": "Bon de commande",
        "order": "Commande",
        "item": "Désignation",
        "quantity": "Qté",
        "unit_price": "PU HT",
        "vat_rate": "TVA",
        "net": "Total HT",
        "vat": "TVA",
        "gross": "Total TTC",
        "vat_base": "Base HT",
        "vat_amount": "Montant TVA",
        "credits": "Avoir sur la facture",
        "deducts": "Déduit la facture d'acompte",
        "reason": "Motif",
        "iban": "IBAN",
    },
    "en": {
        "invoice": "INVOICE",
        "deposit_invoice": "DEPOSIT INVOICE",
        "credit_note": "CREDIT NOTE",
        "number": "No.",
        "issue_date": "Issue date",
        "sale_date": "Date of sale",
        "due_date": "Due date",
        "paid_on": "Paid on",
        "seller": "Seller",
        "buyer": "Buyer",
        "vat_number": "VAT no.",
        "purchase_order": "Purchase order",
        "order": "Order",
        "item": "Item",
        "quantity": "Qty",
        "unit_price": "Unit price excl. VAT",
        "vat_rate": "VAT",
        "net": "Total excl. VAT",
        "vat": "VAT",
        "gross": "Total incl. VAT",
        "vat_base": "Base excl. VAT",
        "vat_amount": "VAT amount",
        "credits": "Credit note for invoice",
        "deducts": "Deducts deposit invoice",
        "reason": "Reason",
        "iban": "IBAN",
    },
}
REVERSE_CHARGE: dict[Locale, str] = {
    "fr": "Autoliquidation : TVA due par le preneur (art. 283-2 du CGI, art. 196 de la directive "
    "2006/112/CE).",
    "en": "Reverse charge (Autoliquidation): VAT to be accounted for by the buyer (art. 196, Directive "
    "2006/112/EC).",
}


def late_payment(rate: Decimal, locale: Locale) -> str:
    shown = percent(rate, locale)
    if locale == "fr":
        return (
            f"En cas de retard de paiement : pénalités au taux annuel de {shown} % et indemnité forfaitaire "
            f"pour frais de recouvrement de {RECOVERY_INDEMNITY_EUR} € (art. L441-10 et D441-5 du Code de "
            "commerce). Pas d'escompte pour paiement anticipé."
        )
    return (
        f"Late payment: penalties at the annual rate of {shown}% and a fixed recovery indemnity of "
        f"{RECOVERY_INDEMNITY_EUR} € (French Commercial Code, art. L441-10 and D441-5). No discount for "
        "early payment."
    )


def deposit_mention(invoice: IssuedInvoice) -> str | None:
    """What a deposit invoice is, or what a final invoice deducts (None for any other document)."""
    order, locale, deducted = invoice.order_id, invoice.locale, invoice.deducted_deposit
    if invoice.kind == "deposit_invoice":
        if locale == "fr":
            return (
                f"Facture d'acompte sur la commande {order} : cet acompte sera déduit de la facture "
                "finale de la commande."
            )
        return (
            f"Deposit invoice on order {order}: this deposit will be deducted from the order's final invoice."
        )
    if deducted is None:
        return None
    if locale == "fr":
        return (
            f"Facture finale de la commande {order} : déduit l'acompte de la facture d'acompte "
            f"{LABELS[locale]['number']} {deducted.number} du {day(deducted.issue_date, locale)}."
        )
    return (
        f"Final invoice of order {order}: deducts the deposit of deposit invoice {LABELS[locale]['number']} "
        f"{deducted.number} of {day(deducted.issue_date, locale)}."
    )


def legal_mentions(invoice: IssuedInvoice) -> list[str]:
    """The mentions printed under the totals, in the invoice's locale."""
    of_deposit = deposit_mention(invoice)
    mentions = [of_deposit] if of_deposit else []
    if invoice.reverse_charge:
        mentions.append(REVERSE_CHARGE[invoice.locale])
    mentions.append(late_payment(invoice.seller.late_penalty_rate, invoice.locale))
    return mentions


def money(cents: int, locale: Locale) -> str:
    return amount(Decimal(cents) / 100, locale)


def amount(value: Decimal, locale: Locale) -> str:
    """``1 234,50 €`` in French, ``€1,234.50`` in English (4 decimals kept when a unit price has them)."""
    places = 2 if value == value.quantize(Decimal("0.01")) else 4
    text = f"{abs(value):,.{places}f}"
    sign = "-" if value < 0 else ""
    if locale == "fr":
        return sign + text.replace(",", " ").replace(".", ",") + " €"
    return f"{sign}€{text}"


def percent(rate: Decimal, locale: Locale) -> str:
    text = f"{rate.normalize():f}"
    return text.replace(".", ",") if locale == "fr" else text


def day(value: date, locale: Locale) -> str:
    return value.strftime("%d/%m/%Y") if locale == "fr" else value.isoformat()
