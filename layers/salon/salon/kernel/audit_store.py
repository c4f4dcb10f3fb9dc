"""The append-only audit trail: one primary record plus one copy per subject, never overwritten."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from boto3.dynamodb.conditions import Key

from salon.kernel import keys
from salon.kernel.audit_record import AuditRecord
from salon.kernel.dynamo import Put, Table, decode_cursor, encode_cursor
from salon.kernel.values import iso

_NEVER_OVERWRITE = "attribute_not_exists(PK)"
_MAX_TX = 100
_RETENTION_SECONDS = 36 * 30 * 86_400


def _range(lo: datetime | None, hi: datetime | None, name: str) -> Any:
    low = iso(lo) if lo else "0"
    high = (iso(hi) if hi else "9999") + "~"
    return Key(name).between(low, high)


class AuditStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def append(self, record: AuditRecord) -> None:
        data = record.model_dump(mode="json")
        tenant_id = record.tenant_id
        stamp = f"{data['at']}#{record.audit_id}"
        expires = int(record.at.timestamp()) + _RETENTION_SECONDS
        primary = {
            "PK": keys.audit_pk(tenant_id, record.audit_id),
            "SK": "AUDIT",
            "GSI1PK": keys.audit_actor_index(tenant_id, record.actor_id),
            "GSI1SK": stamp,
            "item_type": "audit",
            "expires_at": expires,
            **data,
        }
        ops: list[Put] = [Put(primary, _NEVER_OVERWRITE)]
        for subject in dict.fromkeys(record.subject_ids):
            copy = {
                "PK": keys.audit_subject_pk(tenant_id, subject),
                "SK": stamp,
                "item_type": "audit",
                "expires_at": expires,
                "copy_of": record.audit_id,
                **data,
            }
            ops.append(Put(copy, _NEVER_OVERWRITE))
        for start in range(0, len(ops), _MAX_TX):
            self.table.transact(list(ops[start : start + _MAX_TX]))

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
        items, last = self.table.query(
            Key("PK").eq(keys.audit_subject_pk(tenant_id, subject_id)) & _range(lo, hi, "SK"),
            limit=limit,
            start=start,
            forward=False,
        )
        return [_record(i) for i in items], encode_cursor(last)

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
        items, last = self.table.query(
            Key("GSI1PK").eq(keys.audit_actor_index(tenant_id, actor_id)) & _range(lo, hi, "GSI1SK"),
            index="GSI1",
            limit=limit,
            start=start,
            forward=False,
        )
        return [_record(i) for i in items], encode_cursor(last)


def _record(item: dict[str, Any]) -> AuditRecord:
    return AuditRecord.model_validate({k: v for k, v in item.items() if k in AuditRecord.model_fields})
