"""Calendar feeds, write side: a participant's feed item holds its secret token (so the same URL can be
shown again) and, through GSI2, the token's hash for the public feed to find it. Revoking deletes it."""

from __future__ import annotations

from salon.kernel import keys
from salon.kernel.dynamo import ConditionFailed, Item, Put, Table
from salon.scheduling.adapters.calendar_feeds import CalendarFeedReads, token_hash


class CalendarFeedStore(CalendarFeedReads):
    table: Table

    def __init__(self, table: Table) -> None:
        super().__init__(table)

    def create(
        self, tenant_id: str, event_id: str, registration_id: str, participant_id: str, token: str, at: str
    ) -> Item:
        """The participant's feed with this token, unless one exists (then that one)."""
        item: Item = {
            "PK": keys.event_pk(tenant_id, event_id),
            "SK": keys.calendar_feed_sk(participant_id),
            "GSI2PK": keys.calendar_feed_locator(token_hash(token)),
            "GSI2SK": keys.CALENDAR_FEED_LOCATOR_SK,
            "item_type": "calendar_feed",
            "tenant_id": tenant_id,
            "event_id": event_id,
            "registration_id": registration_id,
            "participant_id": participant_id,
            "token": token,
            "created_at": at,
        }
        try:
            self.table.put(Put(item, "attribute_not_exists(PK)"))
        except ConditionFailed:
            existing = self.of(tenant_id, event_id, participant_id)
            if existing is not None:
                return existing
            raise
        return item

    def revoke(self, tenant_id: str, event_id: str, participant_id: str) -> None:
        self.table.delete(keys.event_pk(tenant_id, event_id), keys.calendar_feed_sk(participant_id))
