"""Queries of the local cloud's DynamoDB read the queried partition, not the whole table.

moto 5.2.5's `Table.query` walks `all_items()`, every item of the table, for each query (base table
or index). Requests being serialised (`localcloud.moto_dynamodb`), each query held the whole local
DynamoDB for O(table) time, and at 100,000 items index queries outlived the clients' 10 s read
timeout. Here a query first picks its candidates, the items of the queried partition, and moto's own
query code, unchanged, evaluates them (key conditions, order, paging, projection, filters): while it
runs, `all_items` of that table answers the candidates.

Base table: the candidates are ``table.items[hash key]``. Secondary index: a `PartitionIndex` per
table maps each index's hash key values to the items holding them. It is built by the first index
query and kept up to date after each write: `Table.put_item` and `Table.delete_item` (every write
path goes through them: single writes, batches, transactions, an update creating its item) and
`DynamoDBBackend.update_item`, which changes an item in place. When it no longer describes the table
it is built again (O(table), once): a cancelled transaction puts a snapshot of the table in place (a
new ``items``), an index was added or removed, a write failed half-way. moto does no TTL deletions.
Process-wide and idempotent; applied by `LocalCloud.start` after the serialising patches.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import threading
from collections.abc import Iterator
from typing import Any

_INDEX_ATTRIBUTE = "salon_partition_index"
_query_candidates = threading.local()

PrimaryKey = tuple[Any, Any]  # (hash DynamoType, range DynamoType or None)
HashValues = tuple[Any, ...]  # an item's values of an index's hash key attributes


class PartitionIndex:
    """For one table's ``items``: per secondary index, hash key values -> {primary key -> item}."""

    def __init__(self, table: Any) -> None:
        self.items = table.items
        self.hash_attributes = index_hash_attributes(table)
        self.partitions: dict[str, dict[HashValues, dict[PrimaryKey, Any]]] = {
            name: {} for name in self.hash_attributes
        }
        self._placed: dict[str, dict[PrimaryKey, HashValues]] = {name: {} for name in self.hash_attributes}
        for item in _stored_items(table):
            self.place((item.hash_key, item.range_key), item)

    def describes(self, table: Any) -> bool:
        return self.items is table.items and self.hash_attributes == index_hash_attributes(table)

    def place(self, key: PrimaryKey, item: Any) -> None:
        """File the item stored under ``key`` (None once deleted) where its attributes say now."""
        for name, attributes in self.hash_attributes.items():
            placed, partitions = self._placed[name], self.partitions[name]
            old = placed.pop(key, None)
            if old is not None:
                del partitions[old][key]
                if not partitions[old]:
                    del partitions[old]
            values = None if item is None else _hash_values(item, attributes)
            if values is not None:
                partitions.setdefault(values, {})[key] = item
                placed[key] = values


def index_hash_attributes(table: Any) -> dict[str, tuple[str, ...]]:
    """Each secondary index's hash key attribute names (an index named twice: the last, as moto)."""
    return {
        index.name: tuple(k["AttributeName"] for k in index.schema if k["KeyType"] == "HASH")
        for index in table.all_indexes()
    }


def _hash_values(item: Any, attributes: tuple[str, ...]) -> HashValues | None:
    """The item's values of ``attributes``; None if one is missing (a sparse index leaves it out)."""
    values = tuple(item.attrs.get(name) for name in attributes)
    if any(value is None for value in values) or not _hashable(values):
        return None
    return values


def _hashable(value: Any) -> bool:
    """False for a value of no key type (a list, a map): it equals no key value."""
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _stored_items(table: Any) -> Iterator[Any]:
    for row in table.items.values():
        if table.has_range_key:
            yield from row.values()
        else:
            yield row


def _index_of(table: Any) -> PartitionIndex:
    index: PartitionIndex | None = getattr(table, _INDEX_ATTRIBUTE, None)
    if index is None or not index.describes(table):
        index = PartitionIndex(table)
        setattr(table, _INDEX_ATTRIBUTE, index)
    return index


def _refresh(table: Any, hash_key: Any, range_key: Any) -> None:
    """After a write of the item stored under (hash_key, range_key): move its index entries."""
    index: PartitionIndex | None = getattr(table, _INDEX_ATTRIBUTE, None)
    if index is None or index.items is not table.items:
        return  # built again by the next index query
    if (range_key is None) == table.has_range_key:  # not one item's key: cannot tell what changed
        _forget(table)
        return
    row = table.items.get(hash_key)  # .get: reading must not add a partition to the defaultdict
    item = row.get(range_key) if row is not None and table.has_range_key else row
    index.place((hash_key, range_key), item)


def _forget(table: Any) -> None:
    if table is not None:
        setattr(table, _INDEX_ATTRIBUTE, None)


def _candidates(table: Any, hash_key: Any, index_name: str | None, hash_conditions: Any) -> list[Any] | None:
    """The items a query can answer, in `all_items` order; None: let moto walk the table."""
    if index_name is None:
        if hash_key is None or not _hashable(hash_key):
            return None
        row = table.items.get(hash_key)
        if row is None:
            return []
        return sorted(row.values(), key=_stored_order) if table.has_range_key else [row]
    attributes = index_hash_attributes(table).get(index_name)
    given = dict(hash_conditions or ())
    if not attributes or not set(attributes) <= given.keys():
        return None  # moto raises (unknown index) or matches on something else: its walk decides
    values = tuple(given[name] for name in attributes)
    if not _hashable(values):
        return None
    partition = _index_of(table).partitions[index_name].get(values, {})
    return sorted(partition.values(), key=_stored_order)


def _stored_order(item: Any) -> Any:
    """The sort key of moto's `Table.all_items`."""
    return (item.hash_key, item.range_key) if item.range_key else item.hash_key


def partition_queries() -> None:
    """Patch moto's `Table.query` to read only the queried partition (see the module docstring)."""
    models: Any = importlib.import_module("moto.dynamodb.models")
    conditional_check_failed: Any = importlib.import_module("moto.dynamodb.exceptions").ConditionalCheckFailed
    table_type, backend = models.Table, models.DynamoDBBackend
    if getattr(table_type.query, "reads_partitions", False):
        return
    original_query, original_all_items = table_type.query, table_type.all_items
    original_put, original_delete = table_type.put_item, table_type.delete_item
    original_update = backend.update_item
    signature = inspect.signature(original_query)

    @functools.wraps(original_query)
    def query(self: Any, *args: Any, **kwargs: Any) -> Any:
        arguments = signature.bind(self, *args, **kwargs).arguments
        candidates = _candidates(
            self, arguments["hash_key"], arguments.get("index_name"), arguments.get("hash_key_conditions")
        )
        if candidates is None:
            return original_query(self, *args, **kwargs)
        _query_candidates.table, _query_candidates.items = self, candidates
        try:
            return original_query(self, *args, **kwargs)
        finally:
            _query_candidates.table = _query_candidates.items = None

    @functools.wraps(original_all_items)
    def all_items(self: Any) -> list[Any]:
        if getattr(_query_candidates, "table", None) is self:
            return _query_candidates.items  # type: ignore[no-any-return]
        return original_all_items(self)  # type: ignore[no-any-return]

    @functools.wraps(original_put)
    def put_item(self: Any, *args: Any, **kwargs: Any) -> Any:
        item = original_put(self, *args, **kwargs)
        _refresh(self, item.hash_key, item.range_key)
        return item

    @functools.wraps(original_delete)
    def delete_item(self: Any, hash_key: Any, range_key: Any) -> Any:
        try:
            return original_delete(self, hash_key, range_key)
        finally:
            _refresh(self, hash_key, range_key)

    @functools.wraps(original_update)
    def update_item(self: Any, table_name: str, *args: Any, **kwargs: Any) -> Any:
        try:
            item = original_update(self, table_name, *args, **kwargs)
        except conditional_check_failed:
            raise  # checked before anything is written
        except Exception:
            _forget(self.tables.get(table_name))  # the item may be changed in part
            raise
        _refresh(self.tables[table_name], item.hash_key, item.range_key)
        return item

    query.reads_partitions = True  # type: ignore[attr-defined]
    for owner, name, patched in (
        (table_type, "put_item", put_item),
        (table_type, "delete_item", delete_item),
        (backend, "update_item", update_item),
        (table_type, "all_items", all_items),
        (table_type, "query", query),
    ):
        setattr(owner, name, patched)
