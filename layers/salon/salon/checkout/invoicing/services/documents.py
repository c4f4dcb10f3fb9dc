"""An invoice's two documents (PDF, Factur-X): written once, right after the invoice is stored, and
downloaded through a presigned URL valid 5 minutes.

Both are rendered from the stored (immutable) invoice, so writing them again gives the same
documents: if writing failed after the invoice was stored, the next issue call for the same order, or
the first download, writes them."""

from __future__ import annotations

import logging
from typing import Literal

from pydantic import BaseModel, ConfigDict

from salon.checkout.invoicing import deps
from salon.checkout.invoicing.adapters.documents import Format
from salon.checkout.invoicing.domain.invoice import IssuedInvoice

FORMATS: tuple[Format, ...] = ("pdf", "facturx")
log = logging.getLogger(__name__)


class DocumentLink(BaseModel):
    model_config = ConfigDict(frozen=True)

    url: str
    format: Literal["pdf", "facturx"]
    expires_in: int


def publish(invoice: IssuedInvoice, *, fresh: bool) -> None:
    """Write the invoice's documents (``fresh``: just issued, nothing written yet) or the missing ones."""
    documents = deps.get().documents
    keys = {f: documents.key(invoice.tenant_id, invoice.year, invoice.invoice_id, f) for f in FORMATS}
    missing = [f for f in FORMATS if fresh or not documents.exists(keys[f])]
    if not missing:
        return
    # Rendering pulls in fpdf2, fonttools, lxml and pypdf: only the requests that write documents pay it.
    from salon.checkout.invoicing.domain import facturx_pdf, pdf

    rendered = pdf.render(invoice)
    for format_ in missing:
        content = rendered if format_ == "pdf" else facturx_pdf.render(invoice, rendered)
        suffix = "" if format_ == "pdf" else "-facturx"
        documents.put(keys[format_], content, f"{invoice.number}{suffix}.pdf")
    log.info("invoice documents written", extra={"invoice_id": invoice.invoice_id, "formats": missing})
