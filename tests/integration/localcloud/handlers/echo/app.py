"""A test double standing in for a real function: records what it received and echoes it back.

Every invocation is written to the Salon table (``PK = "SEAM#<marker>"``) so tests can prove the
handler really ran, whatever triggered it.
"""

from __future__ import annotations

import json
import os
from typing import Any

import boto3

# Read at import, like Powertools' module-level Logger/Metrics: proves per-function env at import.
SERVICE_NAME = os.environ.get("POWERTOOLS_SERVICE_NAME")


def _marker(event: Any) -> str:
    if isinstance(event, dict):
        if "marker" in event:
            return str(event["marker"])
        records = event.get("Records") or []
        if records:
            record = records[0]
            if "body" in record:
                body = json.loads(record["body"])
                return str(body.get("detail", body).get("marker", "sqs"))
            if "dynamodb" in record:
                return "stream:" + str(record["dynamodb"]["Keys"]["PK"]["S"])
        if event.get("version") == "2.0":
            return "http:" + str(event["requestContext"]["requestId"])
    return "unknown"


def _http_response(event: dict[str, Any], context: Any) -> dict[str, Any]:
    headers = event.get("headers", {})
    if headers.get("x-echo-fail"):
        raise RuntimeError("asked to fail over HTTP")
    return {
        "statusCode": int(headers.get("x-echo-status", "200")),
        "headers": {"content-type": "application/json", "x-echo": "yes"},
        "cookies": ["session=abc; Path=/"],
        "body": json.dumps({"event": event, "function_name": context.function_name}),
    }


def handler(event: Any, context: Any) -> Any:
    marker = _marker(event)
    if isinstance(event, dict) and event.get("fail"):
        raise RuntimeError("asked to fail")
    if not marker.startswith("stream:SEAM#"):
        boto3.client("dynamodb").put_item(
            TableName=os.environ["TABLE_NAME"],
            Item={"PK": {"S": f"SEAM#{marker}"}, "SK": {"S": context.aws_request_id}},
        )
    if isinstance(event, dict) and event.get("version") == "2.0":
        return _http_response(event, context)
    return {
        "marker": marker,
        "function_name": context.function_name,
        "remaining_ms": context.get_remaining_time_in_millis(),
        "service": SERVICE_NAME,
    }
