"""A tenant's exports (offboarding): the export records, and the tenant's events (its all-events
index), which the closure's inventory lists."""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import Key

from salon.kernel import keys
from salon.kernel.dynamo import Item, Put, Table, Update


class TenantExports:
    def __init__(self, table: Table) -> None:
        self.table = table

    def create(self, tenant_id: str, export_id: str, requested_by: str, at: str) -> None:
        self.table.put(
            Put(
                {
                    "PK": keys.tenant_export_pk(tenant_id, export_id),
                    "SK": keys.TENANT_EXPORT_SK,
                    "GSI1PK": keys.tenant_exports_index(tenant_id),
                    "GSI1SK": at,
                    "item_type": "tenant_export",
                    "tenant_id": tenant_id,
                    "export_id": export_id,
                    "status": "running",
                    "requested_by": requested_by,
                    "requested_at": at,
                }
            )
        )

    def get(self, tenant_id: str, export_id: str) -> Item | None:
        return self.table.get(keys.tenant_export_pk(tenant_id, export_id), keys.TENANT_EXPORT_SK)

    def of_tenant(self, tenant_id: str) -> list[Item]:
        """The tenant's exports, newest first."""
        found = self.table.query_all(Key("GSI1PK").eq(keys.tenant_exports_index(tenant_id)), index="GSI1")
        return sorted(found, key=lambda e: str(e["requested_at"]), reverse=True)

    def end(self, tenant_id: str, export_id: str, values: dict[str, Any]) -> None:
        self.table.update(
            Update(
                {"PK": keys.tenant_export_pk(tenant_id, export_id), "SK": keys.TENANT_EXPORT_SK},
                "tenant_export",
                set=values,
            )
        )

    def event_ids(self, tenant_id: str) -> list[str]:
        events = self.table.query_all(Key("GSI1PK").eq(keys.events_index(tenant_id)), index="GSI1")
        return [str(e["event_id"]) for e in events]
