"""A test double for an event source mapping's function: reports each record it receives to the queue
named by ``OBSERVED_QUEUE_URL`` and fails on demand. A stream record whose new image has ``fail``, or
an SQS message whose JSON body has ``fail``, set to ``"error"`` makes the invocation raise; set to
``"partial"`` it is reported as a batch item failure."""

from __future__ import annotations

import json
import os
from typing import Any

import boto3

OBSERVED_QUEUE_URL = os.environ["OBSERVED_QUEUE_URL"]


def _read(record: dict[str, Any]) -> tuple[str, str, str | None, str | None]:
    """(item identifier, key, fail mode, receive count) of a stream or SQS record."""
    if "dynamodb" in record:
        image = record["dynamodb"].get("NewImage", {})
        return (
            record["dynamodb"]["SequenceNumber"],
            record["dynamodb"]["Keys"]["PK"]["S"],
            image.get("fail", {}).get("S"),
            None,
        )
    body = json.loads(record["body"])
    return record["messageId"], body["key"], body.get("fail"), record["attributes"]["ApproximateReceiveCount"]


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    sqs = boto3.client("sqs")
    failures: list[dict[str, str]] = []
    asked_to_raise = False
    for record in event["Records"]:
        identifier, key, fail, receives = _read(record)
        seen = json.dumps({"key": key, "receives": receives})
        sqs.send_message(QueueUrl=OBSERVED_QUEUE_URL, MessageBody=seen)
        asked_to_raise = asked_to_raise or fail == "error"
        if fail == "partial":
            failures.append({"itemIdentifier": identifier})
    if asked_to_raise:
        raise RuntimeError("asked to fail")
    return {"batchItemFailures": failures}
