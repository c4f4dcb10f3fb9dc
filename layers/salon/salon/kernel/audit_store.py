"""The append-only audit trail, in its own table (only PutItem and Query are granted on it).

One ``audit_record`` item per access (ids only) and one small ``audit_subject`` item per subject,
pointing at the record: the bytes written grow with the number of subjects, never with its square.
See docs/DATA_MODEL.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from boto3.dynamodb.conditions import Key

from salon.kernel import keys
from salon.kernel.audit_record import AuditRecord
from salon.kernel.dynamo import Item, Put, Table, decode_cursor, encode_cursor
from salon.kernel.registry import expires_at
from salon.kernel.values import iso

NEVER_OVERWRITE = "attribute_not_exists(PK)"
MAX_TRANSACTION = 100  # DynamoDB's limit of items per TransactWriteItems


def _range(lo: datetime | None, hi: datetime | None, name: str) -> Any:
    low = iso(lo) if lo else "0"
    high = (iso(hi) if hi else "9999") + "~"
    return Key(name).between(low, high)


def _chunks(ops: list[Put]) -> Iterator[list[Put]]:
    for start in range(0, len(ops), MAX_TRANSACTION):
        yield ops[start : start + MAX_TRANSACTION]


class AuditStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def puts(self, record: AuditRecord) -> list[Put]:
        """The record first, then one index item per subject; all conditional, none ever overwritten.

        Each Put names the audit table, so a change adds them to its own transaction (DynamoDB
        transactions span tables) and the change and its record are written together or not at all.
        """
        data = record.model_dump(mode="json")
        tenant_id, audit_id = record.tenant_id, record.audit_id
        moment = keys.audit_moment(iso(record.at), audit_id)
        expires = expires_at("audit_record", record.at)
        primary = {
            "PK": keys.audit_record_pk(tenant_id, audit_id),
            "SK": keys.AUDIT_RECORD_SK,
            "GSI1PK": keys.audit_actor_index(tenant_id, record.actor_id),
            "GSI1SK": moment,
            "item_type": "audit_record",
            "expires_at": expires,
            **data,
        }
        index = [
            {
                "PK": keys.audit_subject_pk(tenant_id, subject),
                "SK": moment,
                "item_type": "audit_subject",
                "tenant_id": tenant_id,
                "expires_at": expires,
                "subject_id": subject,
                "at": data["at"],
                "audit_id": audit_id,
                "action": record.action,
            }
            for subject in dict.fromkeys(record.subject_ids)
        ]
        return [Put(item, NEVER_OVERWRITE, table=self.table.name) for item in [primary, *index]]

    def append(self, record: AuditRecord) -> None:
        """Write a record outside any change (a staff read): the record, then its index by subject in
        transactions of at most 100 items. A failure part-way leaves a record whose index is incomplete,
        never an index item without its record (see docs/DATA_MODEL.md)."""
        primary, *index = self.puts(record)
        self.table.put(primary)
        for chunk in _chunks(index):
            self.table.transact(list(chunk))

    def by_subject(
        self,
        tenant_id: str,
        subject_id: str,
        lo: datetime | None,
        hi: datetime | None,
        limit: int,
        cursor: str | None,
    ) -> tuple[list[AuditRecord], str | None]:
        start = decode_cursor(cursor, tenant_prefix=keys.tenant(tenant_id))
        found, last = self.table.query(
            Key("PK").eq(keys.audit_subject_pk(tenant_id, subject_id)) & _range(lo, hi, "SK"),
            limit=limit,
            start=start,
            forward=False,
        )
        return self._records(tenant_id, [i["audit_id"] for i in found]), encode_cursor(last)

    def by_actor(
        self,
        tenant_id: str,
        actor_id: str,
        lo: datetime | None,
        hi: datetime | None,
        limit: int,
        cursor: str | None,
    ) -> tuple[list[AuditRecord], str | None]:
        start = decode_cursor(cursor, tenant_prefix=keys.tenant(tenant_id), index="GSI1")
        found, last = self.table.query(
            Key("GSI1PK").eq(keys.audit_actor_index(tenant_id, actor_id)) & _range(lo, hi, "GSI1SK"),
            index="GSI1",
            limit=limit,
            start=start,
            forward=False,
        )
        return self._records(tenant_id, [i["audit_id"] for i in found]), encode_cursor(last)

    def _records(self, tenant_id: str, audit_ids: list[str]) -> list[AuditRecord]:
        """The records of ``audit_ids``, in that order. The role may only Query this table (no
        GetItem): each record is its own partition, read by one strongly consistent Query."""
        found: list[AuditRecord] = []
        for audit_id in audit_ids:
            items, _ = self.table.query(
                Key("PK").eq(keys.audit_record_pk(tenant_id, audit_id)), limit=1, consistent=True
            )
            found.extend(_record(item) for item in items)
        return found


def _record(item: Item) -> AuditRecord:
    return AuditRecord.model_validate({k: v for k, v in item.items() if k in AuditRecord.model_fields})
