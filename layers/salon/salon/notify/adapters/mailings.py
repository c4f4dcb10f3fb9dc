"""Mailings in the table, progress counted on the mailing item."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from salon.kernel import keys
from salon.kernel.dynamo import ConditionFailed, Item, Put, Table, Update
from salon.kernel.registry import expires_at
from salon.kernel.values import iso

COUNTERS = ("queued", "sent", "delivered", "bounced", "complained", "suppressed")


class Mailings:
    def __init__(self, table: Table) -> None:
        self.table = table

    def create(self, tenant_id: str, mailing: dict[str, Any], ends_at: datetime, at: datetime) -> None:
        item: Item = {
            "PK": keys.mailing_pk(tenant_id, mailing["mailing_id"]),
            "SK": keys.MAILING_SK,
            "item_type": "mailing",
            "tenant_id": tenant_id,
            **mailing,
            **dict.fromkeys(COUNTERS, 0),
            "status": "draft",
            "created_at": iso(at),
            "expires_at": expires_at("mailing", ends_at),
        }
        self.table.put(Put(item, condition="attribute_not_exists(PK)"))

    def get(self, tenant_id: str, mailing_id: str) -> Item | None:
        return self.table.get(keys.mailing_pk(tenant_id, mailing_id), keys.MAILING_SK)

    def started(self, tenant_id: str, mailing_id: str, recipients: int, at: datetime) -> None:
        key = {"PK": keys.mailing_pk(tenant_id, mailing_id), "SK": keys.MAILING_SK}
        values = {"status": "sending", "recipients": recipients, "updated_at": iso(at)}
        self.table.update(Update(key, "mailing", set=values))

    def queued(self, tenant_id: str, mailing_id: str, through: int, total: int) -> None:
        """Move the resume point forward (only forward: a concurrent resume cannot move it back)."""
        key = {"PK": keys.mailing_pk(tenant_id, mailing_id), "SK": keys.MAILING_SK}
        status = "sent" if through >= total else "sending"
        try:
            self.table.update(
                Update(
                    key,
                    "mailing",
                    set={"queued": through, "status": status},
                    condition="queued < :through",
                    values={":through": through},
                )
            )
        except ConditionFailed:
            return

    def count(self, tenant_id: str, mailing_id: str, counts: Mapping[str, int]) -> None:
        """Add to the mailing's counters (one write for a whole batch of recipients)."""
        added = {counter: n for counter, n in counts.items() if n}
        if added:
            key = {"PK": keys.mailing_pk(tenant_id, mailing_id), "SK": keys.MAILING_SK}
            self.table.update(Update(key, "mailing", add=added))
