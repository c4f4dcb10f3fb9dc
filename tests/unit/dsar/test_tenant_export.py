"""A tenant's export reads the stores its closure deletes in (one enumeration, by the registry): all
of them but the copies rebuilt from the table; its documents keep their keys under the store's folder."""

from __future__ import annotations

from salon.dsar.adapters.closure_stores import BY_STORE, searched_stores
from salon.dsar.adapters.tenant_data import EXPORTED_KINDS, Document, archive_key, exported_stores
from salon.dsar.services.tenant_export_run import document_path
from salon.kernel.stores import STORES, StoreKind


def test_the_export_reads_every_store_the_closure_deletes_in_but_the_copies_of_the_table() -> None:
    exported = {store for kind in EXPORTED_KINDS for store in exported_stores(kind)}
    copies = {s.logical_id for s in STORES.values() if s.kind is StoreKind.SEARCH_INDEX} | set(BY_STORE)

    assert {"SalonTable", "AuditTable", "InvoiceBucket", "ScheduleBucket", "UserPool"} <= exported
    assert set(searched_stores()) == exported | copies and not exported & copies


def test_only_the_kinds_it_reads_are_exported() -> None:
    assert exported_stores(StoreKind.LOGS) == [] and exported_stores(StoreKind.SEARCH_INDEX) == []


def test_a_document_keeps_its_key_below_the_tenant_under_its_store() -> None:
    invoice = Document("InvoiceBucket", "tenant-a/invoices/2026/inv_1.pdf", "application/pdf", b"%PDF")

    assert document_path(invoice, "tenant-a") == "documents/InvoiceBucket/invoices/2026/inv_1.pdf"
    assert archive_key("tenant-a", "tex_1") == "tenant-a/tenant-exports/tex_1/archive.zip"
