"""A tenant's export, written (the export function): every item of every event of the tenant, as the
retention sweep finds them (the event's partition, its companies' partitions, its meeting requests, the
login links of its participants), one JSON document and one CSV file per item type, through the
archive writer of the subject-access export, in the DSAR bucket (expired after 7 days)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from salon.dsar import deps
from salon.dsar.adapters import archive
from salon.dsar.adapters.documents import documents
from salon.dsar.adapters.tenant_exports import TenantExports
from salon.kernel.keys import STORAGE_ATTRIBUTES
from salon.kernel.values import iso


def by_item_type(items: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Items grouped by type (sorted), without their storage attributes; untyped markers are left out."""
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        if item.get("item_type"):
            grouped[str(item["item_type"])].append(
                {k: v for k, v in item.items() if k not in STORAGE_ATTRIBUTES}
            )
    return dict(sorted(grouped.items()))


def run(tenant_id: str, export_id: str) -> dict[str, Any]:
    """Write the archive and end the export (completed with counts, or failed with the reason)."""
    exports = TenantExports(deps.get().platform.table)
    try:
        items = [i for e in exports.event_ids(tenant_id) for i in exports.event_items(tenant_id, e)]
        grouped = by_item_type(items)
        counts = {item_type: len(rows) for item_type, rows in grouped.items()}
        members = {"tenant.json": archive.json_bytes({"tenant_id": tenant_id, "counts": counts})}
        for item_type, rows in grouped.items():
            members[f"{item_type}.json"] = archive.json_bytes(rows)
            members[f"{item_type}.csv"] = archive.csv_bytes(rows)
        key = f"{tenant_id}/tenant-exports/{export_id}/archive.zip"
        documents().put(key, archive.zip_bytes(members), "application/zip")
    except Exception as error:
        exports.end(tenant_id, export_id, {"status": "failed", "failure": type(error).__name__})
        raise
    at = iso(deps.get().clock())
    exports.end(
        tenant_id, export_id, {"status": "completed", "counts": counts, "export_key": key, "completed_at": at}
    )
    return {"tenant_id": tenant_id, "export_id": export_id, "counts": counts}
