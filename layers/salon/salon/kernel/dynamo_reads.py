"""Reading the single table: items, batches and queries, with nothing that writes (a read-only
function imports this module alone; ``salon.kernel.dynamo.Table`` adds the checked writes)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from boto3.dynamodb.conditions import ConditionBase
from botocore.exceptions import ClientError

from salon.kernel import aws
from salon.kernel.errors import DependencyUnavailable, FieldError, ValidationFailed
from salon.kernel.keys import STORAGE_ATTRIBUTES

Item = dict[str, Any]


def plain(value: Any) -> Any:
    """DynamoDB values back to JSON types (Decimal -> int/float, sets -> sorted lists)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, set):
        return sorted(plain(v) for v in value)
    return value


def body(item: Item, also: Iterable[str] = ()) -> Item:
    """What an item holds: without its storage attributes, its type and the ``also`` attributes."""
    dropped = STORAGE_ATTRIBUTES | {"item_type", *also}
    return {k: v for k, v in item.items() if k not in dropped}


BATCH_ATTEMPTS = 6


def backoff_seconds(attempt: int, *, base: float = 0.05, cap: float = 1.0) -> float:
    """Full-jitter exponential back-off before retry ``attempt`` (1, 2, ...)."""
    return random.uniform(0, min(cap, base * 2**attempt))


class TableReads:
    """Reads of the single table."""

    def __init__(self, name: str, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.name = name
        self.sleep = sleep

    @property
    def _table(self) -> Any:
        return aws.dynamodb().Table(self.name)

    @property
    def _client(self) -> Any:
        return aws.dynamodb().meta.client

    def get(self, pk: str, sk: str, *, consistent: bool = True) -> Item | None:
        response = self._table.get_item(Key={"PK": pk, "SK": sk}, ConsistentRead=consistent)
        item = response.get("Item")
        return plain(item) if item else None

    def batch_get(self, keys: list[dict[str, str]]) -> list[Item]:
        """Strongly consistent reads of many items (order not kept; missing items are skipped).

        Keys DynamoDB leaves unprocessed (throttling) are asked again with jittered exponential
        back-off; if some are still unprocessed after the last attempt the read fails as a whole
        (``DependencyUnavailable``, 503) rather than return a silently partial result.
        """
        found: list[Item] = []
        for start in range(0, len(keys), 100):
            request: dict[str, Any] = {self.name: {"Keys": keys[start : start + 100], "ConsistentRead": True}}
            for attempt in range(BATCH_ATTEMPTS):
                if attempt:
                    self.sleep(backoff_seconds(attempt))
                response = aws.dynamodb().batch_get_item(RequestItems=request)
                found.extend(plain(i) for i in response.get("Responses", {}).get(self.name, []))
                request = response.get("UnprocessedKeys") or {}
                if not request:
                    break
            if request:
                left = len(request[self.name]["Keys"])
                raise DependencyUnavailable(
                    f"the table left {left} key(s) unread after {BATCH_ATTEMPTS} attempts"
                )
        return found

    def query(
        self,
        condition: ConditionBase,
        *,
        index: str | None = None,
        limit: int = 100,
        start: dict[str, Any] | None = None,
        forward: bool = True,
        filter_: ConditionBase | None = None,
        consistent: bool = False,
    ) -> tuple[list[Item], dict[str, Any] | None]:
        kwargs: dict[str, Any] = {
            "KeyConditionExpression": condition,
            "Limit": limit,
            "ScanIndexForward": forward,
        }
        if index:
            kwargs["IndexName"] = index
        elif consistent:
            kwargs["ConsistentRead"] = True
        if start:
            kwargs["ExclusiveStartKey"] = start
        if filter_ is not None:
            kwargs["FilterExpression"] = filter_
        try:
            response = self._table.query(**kwargs)
        except ClientError as exc:
            if start and exc.response["Error"]["Code"] == "ValidationException":
                raise ValidationFailed(
                    "invalid cursor", errors=[FieldError("cursor", "invalid cursor")]
                ) from exc
            raise
        return [plain(i) for i in response.get("Items", [])], response.get("LastEvaluatedKey")

    def count(self, condition: ConditionBase, *, index: str | None = None) -> int:
        """How many items match (Select COUNT, page by page: no item leaves the table)."""
        kwargs: dict[str, Any] = {"KeyConditionExpression": condition, "Select": "COUNT"}
        if index:
            kwargs["IndexName"] = index
        else:
            kwargs["ConsistentRead"] = True
        total = 0
        while True:
            response = self._table.query(**kwargs)
            total += int(response.get("Count", 0))
            if not response.get("LastEvaluatedKey"):
                return total
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def query_all(
        self, condition: ConditionBase, *, index: str | None = None, consistent: bool = False
    ) -> list[Item]:
        items: list[Item] = []
        start: dict[str, Any] | None = None
        while True:
            page, start = self.query(condition, index=index, start=start, limit=500, consistent=consistent)
            items.extend(page)
            if not start:
                return items
