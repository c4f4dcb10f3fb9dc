"""Calendar feeds, read side: what the public feed reads (the feed item found by its token, the event,
the participant's agenda and meetings, names). Reads only: the feed's function imports this module and
no writing one, so its role grants no write (tests/unit/test_template_iam.py)."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from boto3.dynamodb.conditions import Attr, Key

from salon.kernel import keys
from salon.kernel.dynamo_reads import Item, TableReads


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeedReads:
    def __init__(self, table: TableReads) -> None:
        self.table = table

    def of(self, tenant_id: str, event_id: str, participant_id: str) -> Item | None:
        return self.table.get(keys.event_pk(tenant_id, event_id), keys.calendar_feed_sk(participant_id))

    def by_token(self, token: str) -> Item | None:
        """The feed whose token this is, if not revoked: the index finds it, a consistent read of the
        item confirms it (a revoked token may linger in the index for a moment)."""
        found, _ = self.table.query(
            Key("GSI2PK").eq(keys.calendar_feed_locator(token_hash(token))), index="GSI2", limit=2
        )
        if len(found) != 1:
            return None
        item = self.of(found[0]["tenant_id"], found[0]["event_id"], found[0]["participant_id"])
        if item is None or not hmac.compare_digest(str(item.get("token", "")), token):
            return None
        return item

    def event(self, tenant_id: str, event_id: str) -> Item | None:
        return self.table.get(keys.event_pk(tenant_id, event_id), keys.EVENT_SK)

    def agenda(self, tenant_id: str, event_id: str, participant_id: str) -> Item | None:
        return self.table.get(keys.event_pk(tenant_id, event_id), keys.agenda_sk(participant_id))

    def meetings_of(self, tenant_id: str, event_id: str, participant_id: str) -> list[Item]:
        """The event's meetings (scheduled or cancelled) that list the participant among attendees."""
        found: list[Item] = []
        start: dict[str, Any] | None = None
        while True:
            page, start = self.table.query(
                Key("PK").eq(keys.event_pk(tenant_id, event_id)) & Key("SK").begins_with("MEETING#"),
                filter_=Attr("participant_ids").contains(participant_id),
                start=start,
                limit=500,
                consistent=True,
            )
            found += page
            if not start:
                return found

    def companies(self, tenant_id: str, registration_ids: set[str]) -> dict[str, str]:
        """registration id -> company name."""
        wanted = [
            {"PK": keys.registration_pk(tenant_id, r), "SK": keys.REGISTRATION_SK}
            for r in sorted(registration_ids)
        ]
        return {
            str(i["registration_id"]): str(i.get("company_name", "")) for i in self.table.batch_get(wanted)
        }

    def people(self, tenant_id: str, members: set[tuple[str, str]]) -> dict[str, Item]:
        """participant id -> participant item, for (registration id, participant id) pairs."""
        wanted = [
            {"PK": keys.registration_pk(tenant_id, r), "SK": keys.participant_sk(p)}
            for r, p in sorted(members)
        ]
        return {str(i["participant_id"]): i for i in self.table.batch_get(wanted)}
