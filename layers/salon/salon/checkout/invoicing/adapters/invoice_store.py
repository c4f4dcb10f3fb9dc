"""Invoices, credit notes and the yearly number sequence in the single table.

Issuing is one transaction: the year's counter moved from the number read to the next (a condition on
the value read), the document put (``attribute_not_exists``), the marker of what it was issued for
(so a second issue for the same order returns the first) and, for a credit note, the credited
invoice's running total (never above the invoice). Two issues reading the same number cannot both
commit: the loser re-reads and tries the next number, so numbers are neither skipped nor repeated.
An invoice item is append-only (the registry says so): nothing can update it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from boto3.dynamodb.conditions import Key

from salon.checkout.invoicing.domain.invoice import IssuedInvoice
from salon.checkout.invoicing.domain.seller import Seller
from salon.kernel import keys, registry
from salon.kernel.dynamo import Check, Put, Table, TransactionCancelled, Update, backoff_seconds
from salon.kernel.errors import Conflict, DependencyUnavailable
from salon.kernel.values import iso

ATTEMPTS = 200  # 100 concurrent issues of one tenant and year each win a round within that many
_CONTENTION = ("ConditionalCheckFailed", "TransactionConflict")


@dataclass(frozen=True)
class Credit:
    """A credit note's claim on its invoice: ``cents`` more of at most ``invoice_gross_cents``."""

    invoice_id: str
    cents: int
    invoice_gross_cents: int


class InvoiceStore:
    def __init__(self, table: Table, *, sleep: Callable[[float], None] | None = None) -> None:
        self.table = table
        self.sleep = sleep or table.sleep

    # ------------------------------------------------------------ seller
    def seller(self, tenant_id: str) -> Seller | None:
        item = self.table.get(keys.seller_pk(tenant_id), keys.SELLER_SK)
        return None if item is None else Seller.model_validate(item["seller"])

    def put_seller(self, tenant_id: str, seller: Seller, by: str, at: str) -> None:
        item = {
            "PK": keys.seller_pk(tenant_id),
            "SK": keys.SELLER_SK,
            "item_type": "invoicing_seller",
            "tenant_id": tenant_id,
            "seller": seller.model_dump(mode="json"),
            "updated_by": by,
            "updated_at": at,
        }
        self.table.put(Put(item))

    # ------------------------------------------------------------ issue
    def issue(
        self,
        tenant_id: str,
        source: str,
        year: int,
        build: Callable[[int], IssuedInvoice],
        credit: Credit | None = None,
    ) -> IssuedInvoice:
        """Store the document ``build(sequence)`` makes with the year's next number; the document
        already issued for ``source`` if there is one."""
        for attempt in range(ATTEMPTS):
            existing = self.issued_for(tenant_id, source)
            if existing is not None:
                return existing
            if attempt:
                self.sleep(backoff_seconds(min(attempt, 5), base=0.01, cap=0.2))
            last = self._last(tenant_id, year)
            invoice = build(last + 1)
            try:
                self.table.transact(self._writes(invoice, source, last, credit))
                return invoice
            except TransactionCancelled as cancelled:
                reasons = cancelled.reasons
                already_issued = len(reasons) > 2 and reasons[2] == "ConditionalCheckFailed"
                if already_issued:
                    continue  # the next round returns it
                if credit is not None and len(reasons) > 3 and reasons[3] == "ConditionalCheckFailed":
                    raise Conflict("the credit notes would exceed the invoice's amount") from cancelled
                if not any(reason in _CONTENTION for reason in reasons):
                    raise
        raise DependencyUnavailable(f"no invoice number could be allocated after {ATTEMPTS} attempts")

    def _last(self, tenant_id: str, year: int) -> int:
        """The year's last number (0 before the first)."""
        item = self.table.get(keys.invoice_sequence_pk(tenant_id, year), keys.INVOICE_SEQUENCE_SK)
        return 0 if item is None else int(item["last"])

    def _writes(
        self, invoice: IssuedInvoice, source: str, last: int, credit: Credit | None
    ) -> list[Put | Update | Check]:
        t = invoice.tenant_id
        sequence = Update(
            key={"PK": keys.invoice_sequence_pk(t, invoice.year), "SK": keys.INVOICE_SEQUENCE_SK},
            item_type="invoice_sequence",
            set={"item_type": "invoice_sequence", "tenant_id": t, "year": invoice.year, "last": last + 1},
            condition="attribute_not_exists(#last)" if last == 0 else "#last = :previous",
            names={"#last": "last"},
            values={} if last == 0 else {":previous": last},
        )
        marker = {
            "PK": keys.issued_for_pk(t, source),
            "SK": keys.ISSUED_FOR_SK,
            "item_type": "invoice_issued_for",
            "tenant_id": t,
            "invoice_id": invoice.invoice_id,
            "source": source,
            "created_at": iso(invoice.issued_at),
        }
        writes: list[Put | Update | Check] = [
            sequence,
            Put(_item(invoice), "attribute_not_exists(PK)"),
            Put(marker, "attribute_not_exists(PK)"),
        ]
        if credit is not None:
            writes.append(
                Update(
                    key={"PK": keys.invoice_pk(t, credit.invoice_id), "SK": keys.INVOICE_CREDITS_SK},
                    item_type="invoice_credits",
                    set={"item_type": "invoice_credits", "tenant_id": t, "invoice_id": credit.invoice_id},
                    add={"credited_cents": credit.cents},
                    condition="attribute_not_exists(#credited) OR #credited <= :room",
                    names={"#credited": "credited_cents"},
                    values={":room": credit.invoice_gross_cents - credit.cents},
                )
            )
        return writes

    # ------------------------------------------------------------ reads
    def event_exists(self, tenant_id: str, event_id: str) -> bool:
        return self.table.get(keys.event_pk(tenant_id, event_id), keys.EVENT_SK, consistent=False) is not None

    def get(self, tenant_id: str, invoice_id: str) -> IssuedInvoice | None:
        item = self.table.get(keys.invoice_pk(tenant_id, invoice_id), keys.INVOICE_SK)
        return None if item is None else _invoice(item)

    def issued_for(self, tenant_id: str, source: str) -> IssuedInvoice | None:
        marker = self.table.get(keys.issued_for_pk(tenant_id, source), keys.ISSUED_FOR_SK)
        return None if marker is None else self.get(tenant_id, str(marker["invoice_id"]))

    def credited_cents(self, tenant_id: str, invoice_id: str) -> int:
        item = self.table.get(keys.invoice_pk(tenant_id, invoice_id), keys.INVOICE_CREDITS_SK)
        return 0 if item is None else int(item["credited_cents"])

    def of_event(self, tenant_id: str, event_id: str) -> list[IssuedInvoice]:
        condition = Key("GSI1PK").eq(keys.event_invoices_index(tenant_id, event_id))
        return [_invoice(item) for item in self.table.query_all(condition, index="GSI1")]

    def of_registration(self, tenant_id: str, registration_id: str) -> list[IssuedInvoice]:
        condition = Key("GSI2PK").eq(keys.registration_invoices_index(tenant_id, registration_id))
        return [_invoice(item) for item in self.table.query_all(condition, index="GSI2")]


def _item(invoice: IssuedInvoice) -> dict[str, Any]:
    t = invoice.tenant_id
    item: dict[str, Any] = {
        "PK": keys.invoice_pk(t, invoice.invoice_id),
        "SK": keys.INVOICE_SK,
        "GSI1PK": keys.event_invoices_index(t, invoice.event_id),
        "GSI1SK": invoice.number,
        "GSI2PK": keys.registration_invoices_index(t, invoice.registration_id),
        "GSI2SK": invoice.number,
        "item_type": "invoice",
        "tenant_id": t,
        "invoice_id": invoice.invoice_id,
        "number": invoice.number,
        "kind": invoice.kind,
        "order_id": invoice.order_id,
        "event_id": invoice.event_id,
        "registration_id": invoice.registration_id,
        "year": invoice.year,
        "issued_at": iso(invoice.issued_at),
        "currency": invoice.currency,
        "net_cents": invoice.net_cents,
        "vat_cents": invoice.vat_cents,
        "gross_cents": invoice.gross_cents,
        "buyer": invoice.buyer.model_dump(mode="json", exclude_none=True),
        "content": invoice.model_dump_json(exclude={"buyer"}),
        "created_at": iso(invoice.issued_at),
    }
    if invoice.credited_invoice is not None:
        item["credited_invoice_id"] = invoice.credited_invoice.invoice_id
    expires = registry.expires_at("invoice", invoice.issued_at)
    if expires is not None:
        item["expires_at"] = expires
    return item


def _invoice(item: dict[str, Any]) -> IssuedInvoice:
    data = json.loads(item["content"])
    data["buyer"] = item["buyer"]
    return IssuedInvoice.model_validate(data)
