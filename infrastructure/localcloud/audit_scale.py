"""The audit bytes a tenant's trail holds, read back from the audit table (bench and scale tests)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import boto3
from boto3.dynamodb.conditions import Attr


def value_bytes(value: Any) -> int:
    """DynamoDB's size of an attribute value (strings in UTF-8, numbers about one byte per two
    digits, three bytes of overhead per list or map and one per element)."""
    if isinstance(value, str):
        return len(value.encode())
    if isinstance(value, bool) or value is None:
        return 1
    if isinstance(value, int | float | Decimal):
        return len(str(value).lstrip("-").replace(".", "")) // 2 + 2
    if isinstance(value, Mapping):
        return 3 + sum(len(str(k).encode()) + value_bytes(v) + 1 for k, v in value.items())
    if isinstance(value, list | set | tuple):
        return 3 + sum(value_bytes(v) + 1 for v in value)
    return len(bytes(value))


def item_bytes(item: Mapping[str, Any]) -> int:
    return sum(len(name.encode()) + value_bytes(value) for name, value in item.items())


def audit_bytes(audit_table_name: str, tenant_id: str) -> tuple[int, int, int]:
    """(items, total bytes, largest item's bytes) of the audit trail of ``tenant_id``."""
    table = boto3.resource("dynamodb").Table(audit_table_name)
    kwargs: dict[str, Any] = {"FilterExpression": Attr("tenant_id").eq(tenant_id)}
    count = total = largest = 0
    while True:
        page = table.scan(**kwargs)
        for item in page.get("Items", []):
            size = item_bytes(item)
            count, total, largest = count + 1, total + size, max(largest, size)
        if "LastEvaluatedKey" not in page:
            return count, total, largest
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
