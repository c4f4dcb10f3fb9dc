"""Three moto 5.2.5 DynamoDB transaction flaws the local cloud removes (see each function's docstring)."""

from __future__ import annotations

import copy
import importlib
import threading
import time
from collections import defaultdict
from typing import Any

_moto_transaction = threading.local()
_requests = threading.RLock()


def cheap_moto_transaction_snapshots() -> None:
    """Make moto's TransactWriteItems snapshot only what a transaction can change.

    moto 5.2.5 deep-copies the whole table once per item of a transaction, as its rollback snapshot: a
    transaction costs O(table size x transaction size), 200 registrations take minutes, and once a call
    outlives the handlers' 10 s botocore read timeout, the retry races the first attempt and writes get
    lost. A transaction only replaces, deletes or updates in place the items it names, so a snapshot
    that copies the item index by reference and deep-copies just those items rolls back the same way.

    moto also checks a write's conditions and applies it without any lock, and rolls a cancelled
    transaction back by putting its snapshot table in place: under concurrent requests two conditional
    writes could both pass, and a rollback could drop another request's write. DynamoDB isolates them
    (serializable transactions, atomic conditional writes), so requests are serialised here by one lock.
    Process-wide and idempotent; applied by `LocalCloud.start`, with `transactional_stream_records`.
    """
    dynamodb_models: Any = importlib.import_module("moto.dynamodb.models")
    dynamo_type: Any = importlib.import_module("moto.dynamodb.models.dynamo_type").DynamoType
    backend = dynamodb_models.DynamoDBBackend
    if getattr(backend.transact_write_items, "snapshots_named_items_only", False):
        return
    table_type = dynamodb_models.Table

    def snapshot(table: Any, operations: list[dict[str, Any]]) -> Any:
        copied = copy.copy(table)
        copied.items = defaultdict(dict)
        for hash_value, entry in table.items.items():
            copied.items[hash_value] = dict(entry) if table.has_range_key else entry
        for operation in operations:
            key = operation.get("Key") or operation.get("Item") or {}
            if operation.get("TableName") != table.name or table.hash_key_attr not in key:
                continue
            hash_value = dynamo_type(key[table.hash_key_attr])
            if hash_value not in copied.items:
                continue
            if not table.has_range_key:
                copied.items[hash_value] = copy.deepcopy(copied.items[hash_value])
            elif table.range_key_attr in key:
                row = copied.items[hash_value]
                range_value = dynamo_type(key[table.range_key_attr])
                if range_value in row:
                    row[range_value] = copy.deepcopy(row[range_value])
        return copied

    class CopyModule:
        """Stands in for `copy` inside moto.dynamodb.models; only transaction snapshots change."""

        def __getattr__(self, name: str) -> Any:
            return getattr(copy, name)

        @staticmethod
        def deepcopy(value: Any, memo: Any = None) -> Any:
            operations: list[dict[str, Any]] | None = getattr(_moto_transaction, "operations", None)
            if operations is None or not isinstance(value, table_type):
                return copy.deepcopy(value, memo)
            snapshots: dict[int, Any] = _moto_transaction.snapshots
            if id(value) not in snapshots:
                snapshots[id(value)] = snapshot(value, operations)
            return snapshots[id(value)]

    original = backend.transact_write_items

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> Any:
        with _requests:
            return _transact(self, transact_items)

    def _transact(self: Any, transact_items: list[dict[str, Any]]) -> Any:
        _moto_transaction.operations = [next(iter(item.values())) for item in transact_items]
        _moto_transaction.snapshots = {}
        _moto_transaction.stream_records = []
        try:
            result = original(self, transact_items)
            records, _moto_transaction.stream_records = _moto_transaction.stream_records, None
            for shard, old, new in records:
                shard.add(old, new)
            return result
        finally:
            _moto_transaction.operations = None
            _moto_transaction.snapshots = {}
            _moto_transaction.stream_records = None

    transact_write_items.snapshots_named_items_only = True  # type: ignore[attr-defined]
    dynamodb_models.copy = CopyModule()
    setattr(backend, "transact_write_items", transact_write_items)  # noqa: B010 (typed as a method)
    # Reads too: one iterating a table while a write adds a key fails ("dictionary changed size during
    # iteration"), and one may see a transaction half-applied; DynamoDB does neither.
    reads = ("get_item", "batch_get_item", "transact_get_items", "query", "scan")
    for name in ("put_item", "update_item", "delete_item", "batch_write_item", *reads):
        setattr(backend, name, _serialised(getattr(backend, name)))


def _serialised(call: Any) -> Any:
    def run(self: Any, *args: Any, **kwargs: Any) -> Any:
        with _requests:
            return call(self, *args, **kwargs)

    return run


def transactional_stream_records() -> None:
    """Give the stream a transaction's records only once it commits, all of them.

    moto 5.2.5 appends a stream record as each operation of a transaction is applied, and a
    cancelled transaction rolls its items back but not those records: a stream reader (the outbox
    relay) would see, and publish, changes that were never stored. While a transaction runs (in the
    wrapper above), ``StreamShard.add`` keeps the records aside; the wrapper replays them after the
    commit and drops them on a cancellation. Process-wide and idempotent.
    """
    shard_type: Any = importlib.import_module("moto.dynamodb.models.table").StreamShard
    if getattr(shard_type.add, "holds_transaction_records", False):
        return
    original = shard_type.add

    def add(self: Any, old: Any, new: Any) -> None:
        held: list[tuple[Any, Any, Any]] | None = getattr(_moto_transaction, "stream_records", None)
        if held is not None:
            held.append((self, old, new))
            return
        original(self, old, new)

    add.holds_transaction_records = True  # type: ignore[attr-defined]
    setattr(shard_type, "add", add)  # noqa: B010 (typed as a method)


IDEMPOTENCY_WINDOW_S = 600  # DynamoDB: a ClientRequestToken is remembered for 10 minutes


def idempotent_transaction_tokens() -> None:
    """Honour TransactWriteItems' ClientRequestToken, as DynamoDB does.

    botocore gives every transaction a token and sends the same one when it retries (after a read
    timeout, say); DynamoDB then answers the retry as a success without applying it again. moto
    ignores the token, so a transaction whose first attempt committed but answered late was applied
    twice, or failed its own conditions on the retry (an order refused by the per-company maximum it
    had just used). Here a committed token is remembered for 10 minutes and its retry succeeds
    without writing. Process-wide and idempotent.
    """
    handler: Any = importlib.import_module("moto.dynamodb.responses").DynamoHandler
    if getattr(handler.transact_write_items, "honours_tokens", False):
        return
    original = handler.transact_write_items
    committed: dict[str, float] = {}

    def transact_write_items(self: Any) -> Any:
        token = self.body.get("ClientRequestToken")
        if token is None:
            return original(self)
        with _requests:
            now = time.monotonic()
            for old in [t for t, at in committed.items() if now - at > IDEMPOTENCY_WINDOW_S]:
                del committed[old]
            if token in committed:
                return importlib.import_module("moto.core.responses").ActionResult(
                    {"ConsumedCapacity": [], "ItemCollectionMetrics": {}}
                )
            result = original(self)
            committed[token] = now
            return result

    transact_write_items.honours_tokens = True  # type: ignore[attr-defined]
    setattr(handler, "transact_write_items", transact_write_items)  # noqa: B010 (typed as a method)
