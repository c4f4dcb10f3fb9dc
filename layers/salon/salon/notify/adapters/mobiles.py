"""Participants' mobile numbers: the one-time code that verifies one, and finding the tenants that
hold a number (an inbound STOP names only the number)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from boto3.dynamodb.conditions import Key

from salon.kernel import keys
from salon.kernel.dynamo import Item, Put, Table, Update
from salon.kernel.registry import expires_at
from salon.kernel.values import iso


@dataclass(frozen=True)
class Holder:
    tenant_id: str
    participant_id: str


class Mobiles:
    def __init__(self, table: Table) -> None:
        self.table = table

    def get(self, tenant_id: str, participant_id: str) -> Item | None:
        return self.table.get(keys.mobile_pk(tenant_id, participant_id), keys.MOBILE_SK)

    def start(
        self, tenant_id: str, participant_id: str, event_id: str, number: str, code_hash: str, at: datetime
    ) -> None:
        """A number waiting for its code (replaces any earlier number: it is verified again)."""
        self.table.put(
            Put(
                {
                    "PK": keys.mobile_pk(tenant_id, participant_id),
                    "SK": keys.MOBILE_SK,
                    "GSI1PK": keys.mobile_locator(number),
                    "GSI1SK": keys.mobile_pk(tenant_id, participant_id),
                    "item_type": "mobile_number",
                    "tenant_id": tenant_id,
                    "participant_id": participant_id,
                    "event_id": event_id,
                    "number": number,
                    "code_hash": code_hash,
                    "attempts": 0,
                    "created_at": iso(at),
                    "expires_at": expires_at("mobile_number", at),
                }
            )
        )

    def attempt(self, tenant_id: str, participant_id: str) -> None:
        key = {"PK": keys.mobile_pk(tenant_id, participant_id), "SK": keys.MOBILE_SK}
        self.table.update(Update(key, "mobile_number", add={"attempts": 1}))

    def verified(self, tenant_id: str, participant_id: str, at: datetime) -> None:
        key = {"PK": keys.mobile_pk(tenant_id, participant_id), "SK": keys.MOBILE_SK}
        self.table.update(
            Update(
                key,
                "mobile_number",
                set={"verified_at": iso(at), "updated_at": iso(at)},
                remove=("code_hash",),
            )
        )

    def holders(self, number: str) -> list[Holder]:
        items = self.table.query_all(Key("GSI1PK").eq(keys.mobile_locator(number)), index="GSI1")
        return [Holder(str(i["tenant_id"]), str(i["participant_id"])) for i in items]
