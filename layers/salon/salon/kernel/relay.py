"""The outbox relay's service: publish the outbox items a stream batch carries, report what failed.

It imports no table access: the relay's role can read the stream and publish, nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import (
    DynamoDBRecord,
    DynamoDBRecordEventName,
)
from pydantic import ValidationError

from salon.kernel.domain_events import EventDetail
from salon.kernel.publisher import OutgoingEvent, Publisher

logger = Logger(child=True)


def outbox_event(record: DynamoDBRecord) -> OutgoingEvent | None:
    """The event an outbox INSERT carries; None for any other stream record."""
    image = record.dynamodb.new_image if record.dynamodb else None
    if record.event_name != DynamoDBRecordEventName.INSERT or not image or image.get("item_type") != "outbox":
        return None
    return OutgoingEvent(
        source=str(image["source"]),
        detail_type=str(image["detail_type"]),
        detail=EventDetail.model_validate(image["detail"]),
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
