"""Batch reads retry unprocessed keys with back-off and never return a silently partial result.

DynamoDB leaves keys unprocessed under throttling, which the local cloud cannot produce: a client
double plays it.
"""

from __future__ import annotations

from typing import Any

import pytest
from salon.kernel import aws
from salon.kernel.dynamo import BATCH_ATTEMPTS, Table, backoff_seconds
from salon.kernel.errors import DependencyUnavailable

KEYS = [{"PK": f"T#t#REG#{i}", "SK": "REGISTRATION"} for i in range(3)]


class Throttling:
    """Answers the first key of each request and leaves the rest unprocessed, ``stubborn`` times."""

    def __init__(self, stubborn: int) -> None:
        self.stubborn = stubborn
        self.requests: list[list[dict[str, str]]] = []

    def batch_get_item(self, RequestItems: dict[str, Any]) -> dict[str, Any]:
        ((name, request),) = RequestItems.items()
        keys = request["Keys"]
        self.requests.append(keys)
        if len(self.requests) > self.stubborn:
            return {"Responses": {name: [dict(k) for k in keys]}, "UnprocessedKeys": {}}
        unprocessed = {name: {**request, "Keys": keys[1:]}} if keys[1:] else {}
        return {"Responses": {name: [dict(keys[0])]}, "UnprocessedKeys": unprocessed}


def table_over(double: Throttling, monkeypatch: pytest.MonkeyPatch) -> tuple[Table, list[float]]:
    monkeypatch.setattr(aws, "dynamodb", lambda: double)
    pauses: list[float] = []
    return Table("salon", sleep=pauses.append), pauses


def test_unprocessed_keys_are_asked_again_until_every_item_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    double = Throttling(stubborn=1)
    table, pauses = table_over(double, monkeypatch)
    found = table.batch_get(KEYS)
    assert sorted(i["PK"] for i in found) == sorted(k["PK"] for k in KEYS)
    assert double.requests == [KEYS, KEYS[1:]]
    assert len(pauses) == 1


def test_keys_still_unprocessed_after_the_last_attempt_fail_the_read(monkeypatch: pytest.MonkeyPatch) -> None:
    double = Throttling(stubborn=10 * BATCH_ATTEMPTS)
    table, pauses = table_over(double, monkeypatch)
    big = [{"PK": f"T#t#REG#{i}", "SK": "REGISTRATION"} for i in range(BATCH_ATTEMPTS + 2)]
    with pytest.raises(DependencyUnavailable, match="2 key"):
        table.batch_get(big)
    assert len(double.requests) == BATCH_ATTEMPTS
    assert len(pauses) == BATCH_ATTEMPTS - 1


def test_backoff_is_jittered_exponential_and_capped() -> None:
    for attempt in range(1, 10):
        delays = [backoff_seconds(attempt) for _ in range(200)]
        ceiling = min(1.0, 0.05 * 2**attempt)
        assert all(0 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 1  # jittered
    assert max(backoff_seconds(1) for _ in range(200)) < 0.1 < max(backoff_seconds(4) for _ in range(200))
