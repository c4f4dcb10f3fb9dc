"""The transactional outbox: a change and the domain event announcing it are written in one transaction.

A service adds `event_put(...)` to the transaction that stores its change. The table's stream carries
the new outbox item to the relay (`functions/outbox`), which publishes it to EventBridge with
`relay(...)`; a record the bus refuses is retried by the stream's event source mapping. So a stored
change is announced even if EventBridge is down when it is made, and a change that is not stored
announces nothing.

Exactly once, from the client's point of view: the outbox item is keyed by a dedupe id derived from
the change (`dedupe_id`), so replaying a change overwrites its outbox item (a stream MODIFY, which the
relay's filter ignores) instead of adding a second event. The relay itself is at least once (a
retried batch may publish a record again): every event carries its ``dedupe_id`` and consumers drop
what they have already seen (`salon.kernel.consumer`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import (
    DynamoDBRecord,
    DynamoDBRecordEventName,
)
from pydantic import BaseModel, ConfigDict, ValidationError

from salon.kernel import keys
from salon.kernel.dynamo import Put, plain
from salon.kernel.publisher import OutgoingEvent, Publisher
from salon.kernel.registry import expires_at
from salon.kernel.values import iso

logger = Logger(child=True)

SOURCE = "salon.register"
_NAMESPACE = uuid.UUID("6f1d8a52-3c47-4e0b-9a16-2b7f0c9e5d83")


class EventDetail(BaseModel):
    """What a domain event says: ids only. Unknown fields are refused, so no name or e-mail can slip in."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tenant_id: str
    dedupe_id: str
    event_id: str | None = None
    registration_id: str | None = None
    participant_ids: tuple[str, ...] = ()
    type: str | None = None
    actor_id: str | None = None


def dedupe_id(tenant_id: str, aggregate_id: str, change: str) -> str:
    """The same change of the same aggregate always gets the same id (e.g. ``change="v2:validated"``)."""
    return str(uuid.uuid5(_NAMESPACE, f"{tenant_id}:{aggregate_id}:{change}"))


def event_put(detail_type: str, detail: EventDetail, at: datetime, source: str = SOURCE) -> Put:
    """The outbox item announcing a change, to add to the transaction that stores the change.

    Unconditional on purpose: if the same change is written again, the item is overwritten (MODIFY),
    which the relay does not publish.
    """
    return Put(
        {
            "PK": keys.outbox_pk(detail.tenant_id, detail.dedupe_id),
            "SK": keys.OUTBOX_SK,
            "item_type": "outbox",
            "tenant_id": detail.tenant_id,
            "dedupe_id": detail.dedupe_id,
            "source": source,
            "detail_type": detail_type,
            "detail": detail.model_dump(mode="json", exclude_none=True),
            "created_at": iso(at),
            "expires_at": expires_at("outbox", at),
        }
    )


def outbox_event(record: DynamoDBRecord) -> OutgoingEvent | None:
    """The event an outbox INSERT carries; None for any other stream record."""
    image = record.dynamodb.new_image if record.dynamodb else None
    if record.event_name != DynamoDBRecordEventName.INSERT or not image or image.get("item_type") != "outbox":
        return None
    return OutgoingEvent(
        source=str(image["source"]),
        detail_type=str(image["detail_type"]),
        detail=EventDetail.model_validate(plain(image["detail"])),
        time=datetime.fromisoformat(str(image["created_at"])),
    )


def relay(records: Sequence[DynamoDBRecord], publisher: Publisher) -> list[str]:
    """Publish the outbox records of a stream batch; return the sequence numbers to retry."""
    pending: list[tuple[str, OutgoingEvent]] = []
    failed: list[str] = []
    for record in records:
        sequence = str(record.dynamodb.sequence_number if record.dynamodb else "")
        try:
            event = outbox_event(record)
        except (ValidationError, KeyError, ValueError):
            logger.error("malformed outbox record", extra={"sequence_number": sequence})
            failed.append(sequence)
            continue
        if event is None:
            logger.warning("not an outbox insert: the mapping's filter should have dropped it")
            continue
        pending.append((sequence, event))
    refused = publisher.publish([event for _, event in pending])
    failed += [pending[position][0] for position in sorted(refused)]
    logger.info("outbox relayed", extra={"published": len(pending) - len(refused), "failed": len(failed)})
    return failed
