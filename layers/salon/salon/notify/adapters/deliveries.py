"""The delivery log (per participant: which kind, when, which channel, status; never an address or a
body) and the tenant's suppression list (keyed hashes of addresses and numbers)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from boto3.dynamodb.conditions import Key

from salon.kernel import keys
from salon.kernel.dynamo import ConditionFailed, Item, Put, Table, Update
from salon.kernel.registry import expires_at
from salon.kernel.values import iso

SCOPE_ALL = "all"  # hard bounce, complaint, erasure, objection: nothing is sent any more
SCOPE_MARKETING = "marketing"  # a mailing unsubscribe: transactional messages still go


@dataclass(frozen=True)
class Claim:
    tenant_id: str
    participant_id: str
    message_key: str
    event_id: str
    kind: str
    channel: str
    mailing_id: str | None = None


class DeliveryLog:
    def __init__(self, table: Table) -> None:
        self.table = table

    def claim(self, claim: Claim, at: datetime) -> bool:
        """Record the message as being sent; False if its key was claimed before (a redelivery)."""
        item: Item = {
            "PK": keys.delivery_pk(claim.tenant_id, claim.participant_id),
            "SK": keys.delivery_sk(claim.message_key),
            "item_type": "delivery",
            "tenant_id": claim.tenant_id,
            "participant_id": claim.participant_id,
            "message_key": claim.message_key,
            "event_id": claim.event_id,
            "kind": claim.kind,
            "channel": claim.channel,
            "status": "sending",
            "created_at": iso(at),
            "expires_at": expires_at("delivery", at),
        }
        if claim.mailing_id:  # its unsubscribe link names the message key alone
            item |= {
                "mailing_id": claim.mailing_id,
                "GSI1PK": keys.delivery_locator(claim.message_key),
                "GSI1SK": item["PK"],
            }
        try:
            self.table.put(Put(item, condition="attribute_not_exists(PK)"))
        except ConditionFailed:
            return False
        return True

    def release(self, tenant_id: str, participant_id: str, message_key: str) -> None:
        """Forget a claim whose send failed, so the retry sends it."""
        self.table.delete(keys.delivery_pk(tenant_id, participant_id), keys.delivery_sk(message_key))

    def mark(
        self,
        tenant_id: str,
        participant_id: str,
        message_key: str,
        status: str,
        at: datetime,
        *,
        provider_message_id: str | None = None,
        reason: str | None = None,
    ) -> Item:
        values: dict[str, Any] = {"status": status, "updated_at": iso(at)}
        if status == "sent":
            values["sent_at"] = iso(at)
        if provider_message_id:
            values["provider_message_id"] = provider_message_id
        if reason:
            values["reason"] = reason
        key = {"PK": keys.delivery_pk(tenant_id, participant_id), "SK": keys.delivery_sk(message_key)}
        return self.table.update(Update(key, "delivery", set=values))

    def by_key(self, message_key: str) -> Item | None:
        items, _ = self.table.query(
            Key("GSI1PK").eq(keys.delivery_locator(message_key)), index="GSI1", limit=2
        )
        return items[0] if len(items) == 1 else None

    def of_participant(self, tenant_id: str, participant_id: str, event_id: str | None = None) -> list[Item]:
        items = self.table.query_all(
            Key("PK").eq(keys.delivery_pk(tenant_id, participant_id)), consistent=True
        )
        return [i for i in items if event_id is None or i.get("event_id") == event_id]


class Suppressions:
    def __init__(self, table: Table) -> None:
        self.table = table

    def scope_of(self, tenant_id: str, channel: str, address_key: str) -> str | None:
        item = self.table.get(keys.suppression_pk(tenant_id), keys.suppression_sk(channel, address_key))
        return str(item["scope"]) if item else None

    def scopes_of(self, tenant_id: str, channel: str, address_keys: Iterable[str]) -> dict[str, str]:
        """Address key -> scope, for those of ``address_keys`` suppressed (one batch read)."""
        wanted = {keys.suppression_sk(channel, k): k for k in address_keys}
        found = self.table.batch_get([{"PK": keys.suppression_pk(tenant_id), "SK": sk} for sk in wanted])
        return {wanted[str(i["SK"])]: str(i["scope"]) for i in found}

    def add(
        self,
        tenant_id: str,
        channel: str,
        address_key: str,
        scope: str,
        reason: str,
        at: datetime,
        participant_id: str | None = None,
    ) -> None:
        """Suppress an address; a wider scope (all) is never narrowed by a later marketing opt-out."""
        if scope == SCOPE_MARKETING and self.scope_of(tenant_id, channel, address_key) == SCOPE_ALL:
            return
        item: Item = {
            "PK": keys.suppression_pk(tenant_id),
            "SK": keys.suppression_sk(channel, address_key),
            "item_type": "suppression",
            "tenant_id": tenant_id,
            "address_key": address_key,
            "channel": channel,
            "scope": scope,
            "reason": reason,
            "at": iso(at),
            "expires_at": expires_at("suppression", at),
        }
        if participant_id:
            item["participant_id"] = participant_id
        self.table.put(Put(item))
