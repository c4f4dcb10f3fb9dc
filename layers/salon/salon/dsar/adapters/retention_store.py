"""What a retention sweep reads and changes: the events due (the all-tenant index of event ends), every
item of an event's partitions; the orders whose contractual records are due for pseudonymisation (the
all-tenant index of their due dates), their records and invoices; the sweep reports."""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import Key

from salon.kernel import keys
from salon.kernel.dynamo import ConditionFailed, Item, Put, Table, Update


class RetentionStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def ended_by(self, moment: str) -> list[Item]:
        """Events (all tenants) that ended by ``moment`` and were not swept yet."""
        return self.table.query_all(
            Key("GSI1PK").eq(keys.EVENTS_BY_END_INDEX) & Key("GSI1SK").lte(f"{moment}#~"), index="GSI1"
        )

    def event_items(self, tenant_id: str, event_id: str) -> list[Item]:
        """The event's partition, its companies' partitions, its meeting requests and the login links
        of its participants."""
        t = tenant_id
        items = self.table.query_all(Key("PK").eq(keys.event_pk(t, event_id)), consistent=True)
        sheets = self.table.query_all(Key("GSI1PK").eq(keys.registrations_index(t, event_id)), index="GSI1")
        for sheet in sheets:
            items += self.table.query_all(Key("PK").eq(sheet["PK"]), consistent=True)
        requests = self.table.query_all(
            Key("GSI1PK").eq(keys.event_requests_index(t, event_id)), index="GSI1"
        )
        items += requests
        items += self.table.batch_get(
            [
                {"PK": keys.user_pk(t, i["user_sub"]), "SK": keys.participant_sk(i["participant_id"])}
                for i in items
                if i.get("item_type") == "participant" and i.get("user_sub")
            ]
        )
        return items

    def delete(self, item: Item) -> None:
        self.table.delete(item["PK"], item["SK"])

    def swept(self, tenant_id: str, event_id: str, at: str) -> None:
        """The event leaves the index of events to sweep."""
        self.table.update(
            Update(
                {"PK": keys.event_pk(tenant_id, event_id), "SK": keys.RETENTION_SK},
                "event_retention",
                set={"swept_at": at},
                remove=("GSI1PK", "GSI1SK"),
            )
        )

    def contracts_due_by(self, moment: str) -> list[Item]:
        """Orders (all tenants) whose records are due for pseudonymisation by ``moment``, not done yet."""
        return self.table.query_all(
            Key("GSI1PK").eq(keys.CONTRACTS_BY_DUE_INDEX) & Key("GSI1SK").lte(f"{moment}#~"), index="GSI1"
        )

    def order_records(self, tenant_id: str, order_id: str) -> list[Item]:
        """The order, its payments and refunds (its partition), and its invoices and credit notes."""
        items = self.table.query_all(Key("PK").eq(keys.order_pk(tenant_id, order_id)), consistent=True)
        order = next((i for i in items if i.get("item_type") == "order"), None)
        if order is None:
            return items
        invoices = self.table.query_all(
            Key("GSI2PK").eq(keys.registration_invoices_index(tenant_id, order["registration_id"])),
            index="GSI2",
        )
        return items + [i for i in invoices if i.get("order_id") == order_id]

    def pseudonymise(self, item: Item, values: dict[str, Any], at: str) -> bool:
        """Replace the item's personal attributes, once; False if it was done already."""
        try:
            self.table.update(
                Update(
                    {"PK": item["PK"], "SK": item["SK"]},
                    item["item_type"],
                    set={**values, "pseudonymised_at": at},
                    condition="attribute_not_exists(pseudonymised_at)",
                )
            )
        except ConditionFailed:
            return False
        return True

    def contract_due_on(self, tenant_id: str, order_id: str, due_on: str, expires: int | None) -> None:
        """The relationship went on: the order's records are due later (the entry expires later)."""
        self.table.update(
            Update(
                {"PK": keys.order_pk(tenant_id, order_id), "SK": keys.CONTRACT_RETENTION_SK},
                "contract_retention",
                set={
                    "due_on": due_on,
                    "GSI1SK": keys.contract_due_sort(due_on, tenant_id, order_id),
                    "expires_at": expires,
                },
            )
        )

    def contract_done(self, tenant_id: str, order_id: str, at: str) -> None:
        """The order leaves the index of contractual records to pseudonymise."""
        self.table.update(
            Update(
                {"PK": keys.order_pk(tenant_id, order_id), "SK": keys.CONTRACT_RETENTION_SK},
                "contract_retention",
                set={"pseudonymised_at": at},
                remove=("GSI1PK", "GSI1SK"),
            )
        )

    def put_report(self, tenant_id: str, report: dict[str, Any]) -> None:
        self.table.put(
            Put(
                {
                    "PK": keys.retention_report_pk(tenant_id, report["sweep_id"]),
                    "SK": keys.RETENTION_REPORT_SK,
                    "GSI1PK": keys.retention_reports_index(tenant_id),
                    "GSI1SK": f"{report['swept_at']}#{report['sweep_id']}",
                    "item_type": "retention_report",
                    "tenant_id": tenant_id,
                    **report,
                }
            )
        )

    def reports(self, tenant_id: str, limit: int) -> list[Item]:
        items, _ = self.table.query(
            Key("GSI1PK").eq(keys.retention_reports_index(tenant_id)),
            index="GSI1",
            limit=limit,
            forward=False,
        )
        return items
