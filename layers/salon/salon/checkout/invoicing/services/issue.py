"""Issuing invoices, deposit invoices and credit notes: checkout's entry points into invoicing.

``issue_invoice`` is called when an order is paid (card) or placed (transfer, cheque, purchase order),
and for an order paid in two instalments when its deposit is in (its deposit invoice) and when it is paid
(its final invoice, deducting the deposit invoice);
``issue_credit_note`` for a refund or a cancellation. Both are safe to repeat: the same order (or the
same ``reference`` of a credit) returns the document issued the first time, with its documents.
"""

from __future__ import annotations

import uuid

from salon.checkout.invoicing import deps
from salon.checkout.invoicing.adapters.invoice_store import Credit
from salon.checkout.invoicing.domain import amounts, invoice, reverse_charge
from salon.checkout.invoicing.domain.invoice import InvoiceKind, InvoiceReference, IssuedInvoice
from salon.checkout.invoicing.domain.order import InvoiceableOrder, InvoiceLine
from salon.checkout.invoicing.domain.seller import Seller
from salon.checkout.invoicing.services.documents import publish
from salon.kernel.errors import Conflict, FieldError, NotFound, ValidationFailed

SOURCES: dict[InvoiceKind, str] = {"invoice": "ORDER", "deposit_invoice": "DEPOSIT"}


def issue_invoice(
    tenant_id: str,
    order: InvoiceableOrder,
    *,
    kind: InvoiceKind = "invoice",
    deducted_deposit: IssuedInvoice | None = None,
) -> IssuedInvoice:
    """The order's invoice, or its deposit invoice (``kind``): one of each per order. A final invoice
    names the deposit invoice its lines deduct (``deducted_deposit``)."""
    d = deps.get()
    seller = _seller(tenant_id)
    number = reverse_charge.candidate(order.billing, seller.country)
    reversed_ = number is not None and d.vat_registry.is_registered(number)
    totals = amounts.compute(order.lines, order.vat_mode, reverse_charge=reversed_)
    issued_at = d.clock()
    invoice_id = _new_id()

    def build(sequence: int) -> IssuedInvoice:
        return invoice.build(
            invoice_id=invoice_id,
            tenant_id=tenant_id,
            sequence_number=invoice.number(
                seller.invoice_prefix, invoice.issue_date(issued_at).year, sequence
            ),
            kind=kind,
            order=order,
            seller=seller,
            amounts=totals,
            reverse_charge=reversed_,
            issued_at=issued_at,
            deducted_deposit=_reference(deducted_deposit) if deducted_deposit else None,
        )

    issued = d.invoices.issue(
        tenant_id, f"{SOURCES[kind]}#{order.order_id}", invoice.issue_date(issued_at).year, build
    )
    publish(issued, fresh=issued.invoice_id == invoice_id)
    return issued


def issue_credit_note(
    tenant_id: str,
    order: InvoiceableOrder,
    invoice_id: str,
    lines: list[InvoiceLine],
    reason: str,
    *,
    reference: str | None = None,
) -> IssuedInvoice:
    """A credit note for ``lines`` (at the invoice's prices, VAT mode and reverse charge) of the order's
    invoice ``invoice_id``; all its credit notes together never exceed it (409). ``reference`` (the
    refund's id, say) makes a repeated call return the credit note issued the first time."""
    d = deps.get()
    credited = d.invoices.get(tenant_id, invoice_id)
    if credited is None or credited.kind == "credit_note" or credited.order_id != order.order_id:
        raise NotFound("no such invoice of this order")
    if not reason.strip() or len(reason) > 500:
        raise ValidationFailed("invalid reason", errors=[FieldError("reason", "1 to 500 characters")])
    totals = amounts.compute(lines, credited.vat_mode, reverse_charge=credited.reverse_charge)
    if totals.gross_cents <= 0:
        raise ValidationFailed(
            "a credit note credits a positive amount", errors=[FieldError("lines", "positive total")]
        )
    source_order = order.model_copy(
        update={"billing": credited.buyer, "buyer_locale": credited.locale, "vat_mode": credited.vat_mode}
    )
    issued_at = d.clock()
    note_id = _new_id()

    def build(sequence: int) -> IssuedInvoice:
        return invoice.build(
            invoice_id=note_id,
            tenant_id=tenant_id,
            sequence_number=invoice.number(
                credited.seller.invoice_prefix, invoice.issue_date(issued_at).year, sequence
            ),
            kind="credit_note",
            order=source_order,
            seller=credited.seller,
            amounts=totals,
            reverse_charge=credited.reverse_charge,
            issued_at=issued_at,
            credited=_reference(credited),
            reason=reason.strip(),
        )

    source = f"CREDIT#{invoice_id}#{reference or note_id}"
    credit = Credit(invoice_id=invoice_id, cents=totals.gross_cents, invoice_gross_cents=credited.gross_cents)
    issued = d.invoices.issue(tenant_id, source, invoice.issue_date(issued_at).year, build, credit)
    publish(issued, fresh=issued.invoice_id == note_id)
    return issued


def _seller(tenant_id: str) -> Seller:
    seller = deps.get().invoices.seller(tenant_id)
    if seller is None:
        raise Conflict(
            "the organiser's seller details are not set (PUT /tenant/seller) : no invoice can be issued"
        )
    return seller


def _reference(issued: IssuedInvoice) -> InvoiceReference:
    return InvoiceReference(invoice_id=issued.invoice_id, number=issued.number, issue_date=issued.issue_date)


def _new_id() -> str:
    return f"inv_{uuid.uuid4().hex}"
