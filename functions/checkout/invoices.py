"""Invoicing over HTTP: invoices and credit notes (lists, documents, the accounting journal) and the
seller details. Thin: routes -> services (salon.checkout.invoicing). Issuing is checkout's, in its
own function (``salon.checkout.invoicing.services.issue``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from salon.checkout.invoicing.domain.seller import Seller
from salon.checkout.invoicing.services import invoices, seller
from salon.checkout.invoicing.services.documents import DocumentLink
from salon.checkout.invoicing.services.invoices import DocumentQuery, InvoiceList, JournalQuery
from salon.kernel import logs
from salon.kernel.caller import Caller
from salon.kernel.http import JSON, Download, Router
from salon.kernel.routes import INVOICES

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logs.configure()
router = Router(INVOICES)
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMAT_OF: dict[str, Literal["json", "csv", "xlsx"]] = {JSON: "json", CSV: "csv", XLSX: "xlsx"}
SELLER_EXAMPLE = {
    "legal_name": "Salon Rencontres SAS",
    "legal_form": "SAS au capital de 10 000 €",
    "address_lines": ["12 rue de la Paix"],
    "postcode": "75002",
    "city": "Paris",
    "country": "FR",
    "siren": "732829320",
    "siret": "73282932000074",
    "vat_number": "FR44732829320",
    "rcs": "RCS Paris 732 829 320",
    "invoice_prefix": "FA",
    "late_penalty_rate": "12.00",
    "payment_terms_days": 30,
}


@router.route("PUT /tenant/seller", response=Seller, body=Seller, example=SELLER_EXAMPLE)
def put_seller(caller: Caller, body: Seller) -> Seller:
    return seller.put_seller(caller, body)


@router.route("GET /tenant/seller", response=Seller)
def get_seller(caller: Caller) -> Seller:
    return seller.get_seller(caller)


@router.route("GET /me/invoices", response=InvoiceList)
def my_invoices(caller: Caller) -> InvoiceList:
    return invoices.mine(caller)


@router.route("GET /invoices/{invoice_id}/document", response=DocumentLink, query=DocumentQuery)
def document(caller: Caller, invoice_id: str, query: DocumentQuery) -> DocumentLink:
    return invoices.document_link(caller, invoice_id, query)


@router.route(
    "GET /events/{event_id}/invoices", response=InvoiceList, query=JournalQuery, produces=(CSV, XLSX)
)
def event_invoices(
    caller: Caller, event_id: str, query: JournalQuery, media_type: str
) -> InvoiceList | Download:
    """``format`` chooses; without it, the Accept header does."""
    format_ = query.format or FORMAT_OF[media_type]
    if format_ == "json":
        return invoices.list_event(caller, event_id)
    content = invoices.export_event(caller, event_id, format_, query)
    return Download(content, CSV if format_ == "csv" else XLSX, f"invoices-{event_id}.{format_}")


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return router.handle(event)
