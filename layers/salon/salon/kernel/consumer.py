"""Consuming domain events: the one pattern every consumer (search indexer, notifications...) uses.

A consumer's EventBridge rule delivers into its own SQS queue (with a dead-letter queue); its function
reads the queue with partial batch failures and hands `process` a callback taking one typed
`DomainEvent`. `process` drops an event this consumer has already handled (same ``dedupe_id``: the
relay and EventBridge are at least once) through Powertools' idempotency, keyed on the consumer's
name and the dedupe id, in the idempotency table. A callback that raises fails only its own message:
SQS retries it and, after ``maxReceiveCount`` receives, moves it to the dead-letter queue.

    def handler(event, context):
        return consumer.process(event, context, name="search-indexer", handle=index_registration)
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from pydantic import BaseModel, ConfigDict, Field

from salon.kernel import aws
from salon.kernel.domain_events import EventDetail
from salon.kernel.settings import get_settings

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig

logger = Logger(child=True)


class DomainEvent(BaseModel):
    """An EventBridge event as an SQS target receives it (the message body)."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore", frozen=True)

    id: str
    detail_type: str = Field(alias="detail-type")
    source: str
    time: datetime
    detail: EventDetail


Handle = Callable[[DomainEvent], None]


class _Delivery(BaseModel):
    """What the idempotency record is keyed on (``consumer``, ``dedupe_id``)."""

    consumer: str
    dedupe_id: str


@functools.cache
def _config(ttl_seconds: int) -> IdempotencyConfig:
    from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig

    return IdempotencyConfig(
        event_key_jmespath="[consumer, dedupe_id]",
        raise_on_no_idempotency_key=True,
        expires_after_seconds=ttl_seconds,
    )


@functools.cache
def _once(table: str, endpoint: str, region: str) -> Callable[..., Any]:
    """Run a callback at most once per delivery, recorded in one idempotency table (one per environment)."""
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer, idempotent_function

    def handle_once(delivery: _Delivery, event: DomainEvent, handle: Handle) -> dict[str, str]:
        handle(event)
        return {"handled": delivery.dedupe_id}

    once: Callable[..., Any] = idempotent_function(
        handle_once,
        data_keyword_argument="delivery",
        persistence_store=DynamoDBPersistenceLayer(table_name=table),
        config=_config(get_settings().idempotency_ttl_seconds),
    )
    return once


def process(event: dict[str, Any], context: Any, *, name: str, handle: Handle) -> dict[str, Any]:
    """Handle an SQS batch of domain events; return the partial batch response Lambda expects."""
    if context is not None:
        _config(get_settings().idempotency_ttl_seconds).register_lambda_context(context)
    once = _once(get_settings().idempotency_table_name, *aws.where())

    def one(record: SQSRecord) -> None:
        domain_event = DomainEvent.model_validate_json(record.body)
        delivery = _Delivery(consumer=name, dedupe_id=domain_event.detail.dedupe_id)
        once(delivery=delivery, event=domain_event, handle=handle)

    processor = BatchProcessor(event_type=EventType.SQS)
    response = process_partial_response(event=event, record_handler=one, processor=processor, context=context)
    return dict(response)
