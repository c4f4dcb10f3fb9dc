"""A domain-event consumer written as every consumer is (`salon.kernel.consumer`): reports each event it
handles to the queue named by ``OBSERVED_QUEUE_URL``; an event about a registration whose id starts
with ``reg_poison`` fails, to prove the dead-letter path."""

from __future__ import annotations

import os
from typing import Any

import boto3
from salon.kernel import consumer

OBSERVED_QUEUE_URL = os.environ["OBSERVED_QUEUE_URL"]


def observe(event: consumer.DomainEvent) -> None:
    if (event.detail.registration_id or "").startswith("reg_poison"):
        raise RuntimeError("poison event")
    body = event.model_dump_json(by_alias=True, exclude_none=True)
    boto3.client("sqs").send_message(QueueUrl=OBSERVED_QUEUE_URL, MessageBody=body)


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return consumer.process(event, context, name="test-consumer", handle=observe)
