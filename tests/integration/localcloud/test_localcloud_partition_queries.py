"""The local cloud's DynamoDB answers a query from the queried partition (localcloud.moto_partitions):
the same answers as moto's walk of the whole table, at a cost that does not grow with the table.

Both run on a private copy of the template's table (same keys and indexes), so that no other test's
writes land between a query and its reference.
"""

from __future__ import annotations

import contextlib
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from localcloud import LocalCloud
from moto.dynamodb.models import Table

pytestmark = pytest.mark.integration

PARTITIONS = [f"P{n}" for n in range(3)]
SORTS = [f"S{n:02d}" for n in range(10)]
INDEX_PARTITIONS = [f"G{n}" for n in range(3)]
INDEX_SORTS = [f"R{n}" for n in range(4)]  # few: items tie on an index's sort key


@dataclass
class Schema:
    """Key attribute names of the copied table: (hash, range) of the table and of each index."""

    table: tuple[str, str]
    indexes: dict[str, tuple[str, str]]


@dataclass
class Tally:
    """What the workload exercised, so that the comparisons are not vacuous."""

    seed: int
    items_answered: dict[str, int] = field(default_factory=dict)
    pages_continued: int = 0
    cancelled: int = 0


def _keys(schema: list[dict[str, str]]) -> tuple[str, str]:
    by_type = {k["KeyType"]: k["AttributeName"] for k in schema}
    return by_type["HASH"], by_type["RANGE"]


def _create_copy(dynamodb: Any, template_table: str, name: str) -> Schema:
    template = dynamodb.describe_table(TableName=template_table)["Table"]
    indexes = template.get("GlobalSecondaryIndexes", [])
    assert indexes, "the template's table has secondary indexes to check"
    dynamodb.create_table(
        TableName=name,
        AttributeDefinitions=template["AttributeDefinitions"],
        KeySchema=template["KeySchema"],
        BillingMode="PAY_PER_REQUEST",
        GlobalSecondaryIndexes=[
            {"IndexName": i["IndexName"], "KeySchema": i["KeySchema"], "Projection": i["Projection"]}
            for i in indexes
        ],
    )
    return Schema(_keys(template["KeySchema"]), {i["IndexName"]: _keys(i["KeySchema"]) for i in indexes})


@contextlib.contextmanager
def _copy_of_template_table(cloud: LocalCloud) -> Iterator[tuple[str, Schema]]:
    dynamodb = cloud.client("dynamodb")
    name = f"partition-probe-{uuid.uuid4().hex[:8]}"
    schema = _create_copy(dynamodb, cloud.resources.table_name, name)
    try:
        yield name, schema
    finally:
        dynamodb.delete_table(TableName=name)


@contextlib.contextmanager
def _moto_walks_the_table() -> Iterator[None]:
    """moto's own `Table.query`, reading every item of the table: the reference."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Table, "query", Table.query.__wrapped__)  # type: ignore[attr-defined]
        yield


def _random_item(rng: random.Random, schema: Schema) -> dict[str, Any]:
    pk, sk = schema.table
    item: dict[str, Any] = {
        pk: {"S": rng.choice(PARTITIONS)},
        sk: {"S": rng.choice(SORTS)},
        "n": {"N": str(rng.randrange(10))},
    }
    for hash_attr, range_attr in schema.indexes.values():
        if rng.random() < 0.7:
            item[hash_attr] = {"S": rng.choice(INDEX_PARTITIONS)}
        if rng.random() < 0.8:  # an index key without its sort key: not in that (sparse) index
            item[range_attr] = {"S": rng.choice(INDEX_SORTS)}
    return item


def _random_key(rng: random.Random, schema: Schema) -> dict[str, Any]:
    pk, sk = schema.table
    return {pk: {"S": rng.choice(PARTITIONS)}, sk: {"S": rng.choice(SORTS)}}


def _random_update(rng: random.Random, schema: Schema, table: str, key: dict[str, Any]) -> dict[str, Any]:
    """Sets, changes or removes index keys of the item (creating it if absent), sets ``n``."""
    sets, removes = ["#n = :n"], []
    names, values = {"#n": "n"}, {":n": {"N": str(rng.randrange(10))}}
    attributes = [a for pair in schema.indexes.values() for a in pair]
    index_hashes = {hash_attr for hash_attr, _ in schema.indexes.values()}
    for number, attribute in enumerate(attributes):
        choice = rng.random()
        if choice < 0.35:
            sets.append(f"#a{number} = :a{number}")
            pool = INDEX_PARTITIONS if attribute in index_hashes else INDEX_SORTS
            values[f":a{number}"] = {"S": rng.choice(pool)}
            names[f"#a{number}"] = attribute
        elif choice < 0.55:
            removes.append(f"#a{number}")
            names[f"#a{number}"] = attribute
    expression = "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removes) if removes else "")
    return {
        "TableName": table,
        "Key": key,
        "UpdateExpression": expression,
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values,
    }


def _distinct_keys(rng: random.Random, schema: Schema, count: int) -> list[dict[str, Any]]:
    pk, sk = schema.table
    pairs = rng.sample([(p, s) for p in PARTITIONS for s in SORTS], count)
    return [{pk: {"S": p}, sk: {"S": s}} for p, s in pairs]


def _transaction(rng: random.Random, schema: Schema, table: str) -> tuple[list[dict[str, Any]], bool]:
    keys = _distinct_keys(rng, schema, rng.randint(3, 5))
    cancelled = rng.random() < 0.4
    operations: list[dict[str, Any]] = []
    for key in keys[:-1]:
        kind = rng.choice(["Put", "Update", "Delete"])
        if kind == "Put":
            operations.append({"Put": {"TableName": table, "Item": {**_random_item(rng, schema), **key}}})
        elif kind == "Update":
            operations.append({"Update": _random_update(rng, schema, table, key)})
        else:
            operations.append({"Delete": {"TableName": table, "Key": key}})
    if cancelled:  # a check no item passes, anywhere in the transaction: the writes before it roll back
        check = {
            "TableName": table,
            "Key": keys[-1],
            "ConditionExpression": "#n = :never",
            "ExpressionAttributeNames": {"#n": "n"},
            "ExpressionAttributeValues": {":never": {"N": "-1"}},
        }
        operations.insert(rng.randrange(len(operations) + 1), {"ConditionCheck": check})
    return operations, cancelled


def _write(dynamodb: Any, rng: random.Random, schema: Schema, table: str, tally: Tally) -> None:
    kind = rng.choice(["put", "put", "update", "update", "delete", "batch", "transaction"])
    if kind == "put":
        dynamodb.put_item(TableName=table, Item=_random_item(rng, schema))
    elif kind == "update":
        dynamodb.update_item(**_random_update(rng, schema, table, _random_key(rng, schema)))
    elif kind == "delete":
        dynamodb.delete_item(TableName=table, Key=_random_key(rng, schema))
    elif kind == "batch":
        requests = [
            {"PutRequest": {"Item": {**_random_item(rng, schema), **key}}}
            if rng.random() < 0.6
            else {"DeleteRequest": {"Key": key}}
            for key in _distinct_keys(rng, schema, rng.randint(2, 8))
        ]
        dynamodb.batch_write_item(RequestItems={table: requests})
    else:
        operations, cancelled = _transaction(rng, schema, table)
        if cancelled:
            with pytest.raises(dynamodb.exceptions.TransactionCanceledException):
                dynamodb.transact_write_items(TransactItems=operations)
            tally.cancelled += 1
        else:
            dynamodb.transact_write_items(TransactItems=operations)


def _random_query(rng: random.Random, schema: Schema, table: str) -> tuple[str, dict[str, Any]]:
    """A query of the base table or of an index: key conditions, order, page size, filter, projection."""
    index = rng.choice([None, *schema.indexes])
    hash_attr, range_attr = schema.table if index is None else schema.indexes[index]
    hash_value = rng.choice(PARTITIONS if index is None else INDEX_PARTITIONS)
    sorts = SORTS if index is None else INDEX_SORTS
    names, values = {"#h": hash_attr}, {":h": {"S": hash_value}}
    condition = "#h = :h"
    shape = rng.choice(["hash", "begins", "between", "greater"])
    if shape != "hash":
        names["#r"] = range_attr
    if shape == "begins":
        condition += " AND begins_with(#r, :p)"
        values[":p"] = {"S": rng.choice(sorts)[:-1]}
    elif shape == "between":
        low, high = sorted(rng.sample(sorts, 2))
        condition += " AND #r BETWEEN :low AND :high"
        values |= {":low": {"S": low}, ":high": {"S": high}}
    elif shape == "greater":
        condition += " AND #r > :low"
        values[":low"] = {"S": rng.choice(sorts)}
    request: dict[str, Any] = {
        "TableName": table,
        "KeyConditionExpression": condition,
        "ScanIndexForward": rng.random() < 0.5,
    }
    if index is not None:
        request["IndexName"] = index
    if rng.random() < 0.6:
        request["Limit"] = rng.randint(1, 4)
    if rng.random() < 0.4:
        request["FilterExpression"] = "#n >= :least"
        names["#n"] = "n"
        values[":least"] = {"N": str(rng.randrange(10))}
    if rng.random() < 0.3:
        request["ProjectionExpression"] = ", ".join(["#n", *(f"#k{i}" for i in range(2))])
        names |= {"#n": "n", "#k0": schema.table[0], "#k1": schema.table[1]}
    request["ExpressionAttributeNames"] = names
    request["ExpressionAttributeValues"] = values
    return index or "table", request


def _pages(dynamodb: Any, request: dict[str, Any]) -> list[dict[str, Any]]:
    pages: list[dict[str, Any]] = []
    start: dict[str, Any] | None = None
    while True:
        answer = dynamodb.query(**request, **({"ExclusiveStartKey": start} if start else {}))
        answer.pop("ResponseMetadata", None)
        pages.append(answer)
        start = answer.get("LastEvaluatedKey")
        if start is None:
            return pages


def _check_queries(dynamodb: Any, rng: random.Random, schema: Schema, table: str, tally: Tally) -> None:
    for _ in range(12):
        target, request = _random_query(rng, schema, table)
        answered = _pages(dynamodb, request)
        with _moto_walks_the_table():
            reference = _pages(dynamodb, request)
        assert answered == reference, f"seed {tally.seed}: {request}"
        tally.items_answered[target] = tally.items_answered.get(target, 0) + sum(p["Count"] for p in answered)
        tally.pages_continued += len(answered) - 1


def test_queries_answer_what_moto_walking_the_whole_table_answers(cloud: LocalCloud) -> None:
    dynamodb = cloud.client("dynamodb")
    tally = Tally(seed=random.randrange(2**32))
    rng = random.Random(tally.seed)
    with _copy_of_template_table(cloud) as (table, schema):
        for round_number in range(12):
            for _ in range(20):
                _write(dynamodb, rng, schema, table, tally)
            _check_queries(dynamodb, rng, schema, table, tally)
            if round_number == 5:  # the same name, a new table: nothing of the old one may be answered
                dynamodb.delete_table(TableName=table)
                _create_copy(dynamodb, cloud.resources.table_name, table)
                _check_queries(dynamodb, rng, schema, table, tally)
    assert set(tally.items_answered) == {"table", *schema.indexes}, tally
    assert all(tally.items_answered.values()), tally
    assert tally.pages_continued and tally.cancelled, tally


def test_a_query_reads_its_partition_whatever_the_size_of_the_table(
    cloud: LocalCloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    dynamodb = cloud.client("dynamodb")
    visited: list[int] = []  # items moto's query code walked, per query of the copy
    partition_items = Table.all_items

    def counted(self: Any) -> Any:
        items = partition_items(self)
        if self.name == table:
            visited.append(len(items))
        return items

    def batch_put(items: list[dict[str, Any]]) -> None:
        for start in range(0, len(items), 25):
            requests = [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]
            dynamodb.batch_write_item(RequestItems={table: requests})

    def items_visited() -> list[int]:
        visited.clear()
        for index, hash_attr, value in ((None, pk, "P-one"), (index_name, index_hash, "G-one")):
            answer = dynamodb.query(
                TableName=table,
                KeyConditionExpression="#h = :h",
                ExpressionAttributeNames={"#h": hash_attr},
                ExpressionAttributeValues={":h": {"S": value}},
                **({"IndexName": index} if index else {}),
            )
            assert answer["Count"] == 5
        return list(visited)

    with _copy_of_template_table(cloud) as (table, schema):
        monkeypatch.setattr(Table, "all_items", counted)
        pk, sk = schema.table
        index_name, (index_hash, index_range) = next(iter(schema.indexes.items()))

        def item(partition: str, n: int, index_partition: str) -> dict[str, Any]:
            return {
                pk: {"S": partition},
                sk: {"S": f"S{n:04d}"},
                index_hash: {"S": index_partition},
                index_range: {"S": f"R{n:04d}"},
            }

        batch_put([item("P-one", n, "G-one") for n in range(5)])
        small_table = items_visited()
        batch_put([item(f"P-{n % 50}", n, f"G-{n % 7}") for n in range(1000)])
        assert items_visited() == small_table == [5, 5]
