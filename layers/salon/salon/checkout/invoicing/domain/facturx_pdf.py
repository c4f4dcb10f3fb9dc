"""Factur-X: the invoice's PDF/A-3 with its CII XML embedded (``factur-x.xml``, relationship Data),
profile EN 16931. The package checks the XML against the profile's XSD before wrapping it."""

from __future__ import annotations

from facturx import generate_from_binary

from salon.checkout.invoicing.domain import cii, pdf
from salon.checkout.invoicing.domain.invoice import IssuedInvoice, Kind

KEYWORDS: dict[Kind, str] = {
    "invoice": "Invoice",
    "deposit_invoice": "Deposit invoice",
    "credit_note": "Credit note",
}


def render(invoice: IssuedInvoice, pdf_bytes: bytes | None = None) -> bytes:
    document = pdf_bytes if pdf_bytes is not None else pdf.render(invoice)
    metadata = {
        "author": invoice.seller.legal_name,
        "keywords": f"Factur-X, {KEYWORDS[invoice.kind]}",
        "title": f"{invoice.seller.legal_name}: {invoice.number}",
        "subject": f"{invoice.number} ({invoice.issue_date.isoformat()})",
    }
    result: bytes = generate_from_binary(
        document,
        cii.render(invoice),
        flavor="factur-x",
        level="en16931",
        check_xsd=True,
        pdf_metadata=metadata,
        lang="fr-FR" if invoice.locale == "fr" else "en-GB",
    )
    return result
