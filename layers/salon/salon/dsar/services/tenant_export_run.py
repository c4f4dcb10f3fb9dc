"""A tenant's export, written (the export function): everything of the tenant that its closure would
delete and that is the tenant's own, read store by store as the closure finds it (``tenant_data``):
every table item (tenant configuration, events, registrations, schedule runs, orders, invoices and
credit notes, the audit trail...), the documents of every bucket (invoices and credit notes as issued,
PDF and Factur-X; schedule documents...), and the login accounts (no secret). In one zip in the DSAR
bucket (expired after 7 days), through the archive writer of the subject-access export:

- ``README.txt`` and ``tenant.json``: the manifest, counts per item type and per store;
- ``FIELDS.csv``: the data dictionary of the CSV files (``salon.dsar.adapters.dictionary``);
- ``<item_type>.json`` and ``<item_type>.csv`` per item type, without storage keys
  (``user_account`` for the accounts, ``document`` for the index of the documents);
- ``documents/<store>/<key>``: each document as stored."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from salon.dsar import deps
from salon.dsar.adapters import archive, dictionary, tenant_data
from salon.dsar.adapters.documents import documents
from salon.dsar.adapters.tenant_exports import TenantExports
from salon.kernel.keys import STORAGE_ATTRIBUTES
from salon.kernel.registry import REGISTRY, ItemSpec
from salon.kernel.stores import STORES, Store, StoreKind
from salon.kernel.values import iso

README = """Salon - the export of tenant {tenant_id} ({exported_at})

tenant.json            this manifest: counts per item type and per store
FIELDS.csv             each file's fields: label and description in French and English, category of
                       personal data, retention, erasure rule (the CSV headers are the stored names)
<item_type>.json/.csv  every item of the tenant per type (events, registrations, participants,
                       schedule runs, orders, invoices, credit notes, audit records, settings...)
user_account.json/.csv the tenant's login accounts: username, e-mail, role, status (no password)
document.json/.csv     the index of the documents: store, key, file in this archive, type, size
documents/<store>/...  the documents as stored (invoices and credit notes in PDF and Factur-X:
                       keep them as long as the law requires; schedule documents...)
"""


def by_item_type(items: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Items grouped by type (sorted), without their storage attributes; untyped markers are left out."""
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        if item.get("item_type"):
            grouped[str(item["item_type"])].append(
                {k: v for k, v in item.items() if k not in STORAGE_ATTRIBUTES}
            )
    return dict(sorted(grouped.items()))


def document_path(document: tenant_data.Document, tenant_id: str) -> str:
    return f"documents/{document.store}/{document.key.removeprefix(f'{tenant_id}/')}"


def members(tenant_id: str, exported_at: str) -> tuple[dict[str, bytes], dict[str, int]]:
    """The archive's members (name -> body) and its counts per item type."""
    stores = dict.fromkeys(tenant_data.exported_stores(StoreKind.DOCUMENTS), 0)
    items: list[dict[str, Any]] = []
    for store, in_table in tenant_data.table_items(tenant_id).items():
        stores[store] = len(in_table)
        items += in_table
    grouped = by_item_type(items)
    sources: dict[str, ItemSpec | Store | None] = {t: REGISTRY.get(t) for t in grouped}
    for store, rows in tenant_data.accounts(tenant_id).items():
        stores[store] = len(rows)
        grouped.setdefault("user_account", []).extend(rows)
        sources["user_account"] = STORES[store]
    files: dict[str, bytes] = {}
    for document in tenant_data.documents(tenant_id):
        stores[document.store] = stores.get(document.store, 0) + 1
        files[document_path(document, tenant_id)] = document.body
        grouped.setdefault("document", []).append(
            {
                "store": document.store,
                "key": document.key,
                "file": document_path(document, tenant_id),
                "content_type": document.content_type,
                "size": len(document.body),
            }
        )
    counts = {item_type: len(rows) for item_type, rows in sorted(grouped.items())}
    manifest = {"tenant_id": tenant_id, "exported_at": exported_at, "counts": counts, "stores": stores}
    head = {
        "README.txt": README.format(tenant_id=tenant_id, exported_at=exported_at).encode(),
        "tenant.json": archive.json_bytes(manifest),
    }
    sheets = []
    for item_type, rows in sorted(grouped.items()):
        head[f"{item_type}.json"] = archive.json_bytes(rows)
        head[f"{item_type}.csv"] = archive.csv_bytes(rows)
        fields = dictionary.header(head[f"{item_type}.csv"])
        sheets.append(dictionary.Sheet(f"{item_type}.csv", fields, sources.get(item_type)))
    head["FIELDS.csv"] = dictionary.fields_csv(sheets, dictionary.languages(None))
    return {**head, **files}, counts


def run(tenant_id: str, export_id: str) -> dict[str, Any]:
    """Write the archive and end the export (completed with counts, or failed with the reason)."""
    exports = TenantExports(deps.get().platform.table)
    try:
        files, counts = members(tenant_id, iso(deps.get().clock()))
        key = tenant_data.archive_key(tenant_id, export_id)
        documents().put(key, archive.zip_bytes(files), "application/zip")
    except Exception as error:
        exports.end(tenant_id, export_id, {"status": "failed", "failure": type(error).__name__})
        raise
    at = iso(deps.get().clock())
    exports.end(
        tenant_id, export_id, {"status": "completed", "counts": counts, "export_key": key, "completed_at": at}
    )
    return {"tenant_id": tenant_id, "export_id": export_id, "counts": counts}
