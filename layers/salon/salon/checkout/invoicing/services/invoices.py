"""Reading invoices and credit notes: a participant's company's own, an event's for its organisers
(audited, as a list or an accounting journal), and a document's download link."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from salon.checkout.invoicing import deps
from salon.checkout.invoicing.adapters.documents import URL_SECONDS
from salon.checkout.invoicing.domain import journal
from salon.checkout.invoicing.domain.invoice import IssuedInvoice, Kind
from salon.checkout.invoicing.services.documents import DocumentLink, publish
from salon.kernel import audit
from salon.kernel.audit_record import AuditAction
from salon.kernel.caller import Caller, require
from salon.kernel.errors import NotFound
from salon.kernel.principal import REVIEW, SELF
from salon.kernel.spreadsheets import Separator, to_csv, to_xlsx
from salon.kernel.values import Locale

LIST_FIELDS = ["number", "kind", "order_id", "totals"]
JOURNAL_FIELDS = ["number", "kind", "order_id", "buyer", "totals"]


class InvoiceSummary(BaseModel):
    model_config = ConfigDict(frozen=True)

    invoice_id: str
    order_id: str
    event_id: str
    registration_id: str
    number: str
    kind: Kind
    credited_invoice_id: str | None
    issued_at: datetime
    issue_date: date
    due_date: date | None  # an unpaid order's (offline payment): when it is due
    currency: str
    net_cents: int
    vat_cents: int
    gross_cents: int

    @classmethod
    def of(cls, invoice: IssuedInvoice) -> InvoiceSummary:
        credited = invoice.credited_invoice
        return cls(
            **invoice.model_dump(include=set(cls.model_fields) - {"credited_invoice_id"}),
            credited_invoice_id=credited.invoice_id if credited else None,
        )


class InvoiceList(BaseModel):
    model_config = ConfigDict(frozen=True)

    items: list[InvoiceSummary]


class DocumentQuery(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["pdf", "facturx"] = Field(
        "pdf", description="the PDF, or the Factur-X PDF/A-3 with its XML"
    )


class JournalQuery(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["json", "csv", "xlsx"] | None = Field(
        None, description="the list, or the accounting journal (without it, the Accept header chooses)"
    )
    separator: Separator = Field(",", description="CSV only; `;` for Excel in French")
    locale: Locale = Field("fr", description="language of the journal's headers")


def mine(caller: Caller) -> InvoiceList:
    """The invoices and credit notes of the companies the caller takes part for, by number."""
    principal = require(caller, SELF)
    d = deps.get()
    registrations = {str(link["registration_id"]) for link in d.links.of(principal.tenant_id, principal.sub)}
    found = [i for r in sorted(registrations) for i in d.invoices.of_registration(principal.tenant_id, r)]
    return InvoiceList(items=[InvoiceSummary.of(i) for i in sorted(found, key=lambda i: i.number)])


def of_event(caller: Caller, event_id: str) -> list[IssuedInvoice]:
    """An event's invoices and credit notes, by number (404 for an event the tenant does not have)."""
    principal = require(caller, REVIEW)
    d = deps.get()
    if not d.invoices.event_exists(principal.tenant_id, event_id):
        raise NotFound("no such event")
    return d.invoices.of_event(principal.tenant_id, event_id)


def list_event(caller: Caller, event_id: str) -> InvoiceList:
    found = of_event(caller, event_id)
    _audit(caller, found, "invoice.list", LIST_FIELDS)
    return InvoiceList(items=[InvoiceSummary.of(i) for i in found])


def export_event(
    caller: Caller, event_id: str, format_: Literal["csv", "xlsx"], query: JournalQuery
) -> bytes:
    found = of_event(caller, event_id)
    _audit(caller, found, "invoice.export", JOURNAL_FIELDS)
    table = journal.rows(found, query.locale)
    return to_csv(table, query.separator) if format_ == "csv" else to_xlsx(table, "Journal")


def document_link(caller: Caller, invoice_id: str, query: DocumentQuery) -> DocumentLink:
    """A URL valid 5 minutes to download the document: the caller's company's own (participants), or
    any of the tenant's (organisers and staff, audited). Writes the documents first if they are missing."""
    principal = require(caller, SELF | REVIEW)
    d = deps.get()
    invoice = d.invoices.get(principal.tenant_id, invoice_id)
    if invoice is None:
        raise NotFound("no such invoice")
    if principal.has_any(REVIEW):
        _audit(caller, [invoice], "invoice.document", ["buyer"])
    else:
        links = d.links.of(principal.tenant_id, principal.sub)
        if invoice.registration_id not in {str(link["registration_id"]) for link in links}:
            raise NotFound("no such invoice")
    publish(invoice, fresh=False)
    key = d.documents.key(principal.tenant_id, invoice.year, invoice.invoice_id, query.format)
    return DocumentLink(url=d.documents.url(key), format=query.format, expires_in=URL_SECONDS)


def _audit(caller: Caller, found: list[IssuedInvoice], action: AuditAction, fields: list[str]) -> None:
    if not found:
        return
    principal = require(caller, REVIEW)
    audit.record(
        caller,
        role=principal.acting_role(REVIEW),
        action=action,
        subjects=sorted({i.registration_id for i in found}),
        item_types=["invoice"],
        fields=fields,
        purpose="invoicing",
        count=len(found),
    )
