"""Thin DynamoDB access with the personal-data registry enforced on every write path."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from salon.kernel import aws
from salon.kernel.dynamo_reads import BATCH_ATTEMPTS as BATCH_ATTEMPTS
from salon.kernel.dynamo_reads import Item as Item
from salon.kernel.dynamo_reads import TableReads
from salon.kernel.dynamo_reads import backoff_seconds as backoff_seconds
from salon.kernel.dynamo_reads import plain as plain
from salon.kernel.errors import FieldError, UnregisteredItemType, ValidationFailed
from salon.kernel.registry import check_attributes, check_item


@dataclass
class Put:
    """Put one item; ``table`` names another table than the writing one (transactions span tables)."""

    item: Item
    condition: str | None = None
    values: dict[str, Any] = field(default_factory=dict)
    table: str | None = None
    names: dict[str, str] = field(default_factory=dict)  # for a condition on a reserved word


@dataclass
class Update:
    key: dict[str, str]
    item_type: str
    set: dict[str, Any] = field(default_factory=dict)
    add: dict[str, int] = field(default_factory=dict)
    remove: tuple[str, ...] = ()
    condition: str | None = None
    values: dict[str, Any] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)


@dataclass
class Check:
    key: dict[str, str]
    condition: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class Delete:
    """Delete one item in a transaction (a tombstone lifted, a held registration released)."""

    key: dict[str, str]
    condition: str | None = None
    values: dict[str, Any] = field(default_factory=dict)


class TransactionCancelled(Exception):
    """A transaction was cancelled; ``reasons`` holds one code per operation ("None" if fine)."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(f"transaction cancelled: {reasons}")
        self.reasons = reasons


class ConditionFailed(Exception):
    """A single conditional write failed."""


def encode_cursor(key: Mapping[str, Any] | None) -> str | None:
    if not key:
        return None
    raw = json.dumps(plain(dict(key)), separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(
    cursor: str | None, *, tenant_prefix: str, index: str | None = None
) -> dict[str, Any] | None:
    """Decode an opaque cursor, refusing one that is malformed or points outside the tenant."""
    if cursor is None:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise ValidationFailed("invalid cursor", errors=[FieldError("cursor", "invalid cursor")]) from exc
    if (
        not isinstance(key, dict)
        or not key
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in key.items())
        or not all(v.startswith(tenant_prefix) for k, v in key.items() if k.endswith("PK"))
        or set(key) != ({"PK", "SK", f"{index}PK", f"{index}SK"} if index else {"PK", "SK"})
    ):
        raise ValidationFailed("invalid cursor", errors=[FieldError("cursor", "invalid cursor")])
    return key


def _expression(update: Update) -> tuple[str, dict[str, str], dict[str, Any]]:
    names: dict[str, str] = dict(update.names)
    values: dict[str, Any] = dict(update.values)
    parts: list[str] = []
    sets = [f"#s{i} = :s{i}" for i in range(len(update.set))]
    for i, (name, value) in enumerate(update.set.items()):
        names[f"#s{i}"] = name
        values[f":s{i}"] = value
    if sets:
        parts.append("SET " + ", ".join(sets))
    adds = [f"#a{i} :a{i}" for i in range(len(update.add))]
    for i, (name, value) in enumerate(update.add.items()):
        names[f"#a{i}"] = name
        values[f":a{i}"] = value
    if adds:
        parts.append("ADD " + ", ".join(adds))
    if update.remove:
        removes = [f"#r{i}" for i in range(len(update.remove))]
        names.update({f"#r{i}": n for i, n in enumerate(update.remove)})
        parts.append("REMOVE " + ", ".join(removes))
    return " ".join(parts), names, values


def _check_update(op: Update) -> None:
    """Registered attributes only; an append-only item changes only to be pseudonymised (the
    retention sweep replaces its ``pseudonymised`` attributes once, nothing else)."""
    spec = check_attributes(op.item_type, [*op.set, *op.add, *op.remove])
    stamped = "pseudonymised_at" in op.set and set(op.set) <= {*spec.pseudonymised, "pseudonymised_at"}
    if spec.append_only and not (stamped and not (op.add or op.remove)):
        raise UnregisteredItemType(f"{op.item_type} items are append-only")


class Table(TableReads):
    """The single table. Writes are checked against the registry before they leave the process."""

    def put(self, op: Put) -> None:
        check_item(op.item)
        kwargs: dict[str, Any] = {"Item": op.item}
        if op.condition:
            kwargs["ConditionExpression"] = op.condition
            if op.values:
                kwargs["ExpressionAttributeValues"] = op.values
        try:
            aws.dynamodb().Table(op.table or self.name).put_item(**kwargs)
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise ConditionFailed(str(op.item.get("SK"))) from exc
            raise

    def delete(self, pk: str, sk: str) -> None:
        self._table.delete_item(Key={"PK": pk, "SK": sk})

    def update(self, op: Update) -> Item:
        _check_update(op)
        expression, names, values = _expression(op)
        kwargs: dict[str, Any] = {
            "Key": op.key,
            "UpdateExpression": expression,
            "ExpressionAttributeNames": names,
            "ReturnValues": "ALL_NEW",
        }
        if values:
            kwargs["ExpressionAttributeValues"] = values
        if op.condition:
            kwargs["ConditionExpression"] = op.condition
        try:
            response = self._table.update_item(**kwargs)
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise ConditionFailed(str(op.key)) from exc
            raise
        attributes: Item = plain(response.get("Attributes", {}))
        return attributes

    def transact(self, ops: Sequence[Put | Update | Check | Delete]) -> None:
        items: list[dict[str, Any]] = []
        for op in ops:
            if isinstance(op, Put):
                check_item(op.item)
                put: dict[str, Any] = {"TableName": op.table or self.name, "Item": op.item}
                if op.condition:
                    put["ConditionExpression"] = op.condition
                    if op.values:
                        put["ExpressionAttributeValues"] = op.values
                    if op.names:
                        put["ExpressionAttributeNames"] = op.names
                items.append({"Put": put})
            elif isinstance(op, Update):
                _check_update(op)
                expression, names, values = _expression(op)
                update: dict[str, Any] = {
                    "TableName": self.name,
                    "Key": op.key,
                    "UpdateExpression": expression,
                    "ExpressionAttributeNames": names,
                }
                if values:
                    update["ExpressionAttributeValues"] = values
                if op.condition:
                    update["ConditionExpression"] = op.condition
                items.append({"Update": update})
            elif isinstance(op, Delete):
                delete: dict[str, Any] = {"TableName": self.name, "Key": op.key}
                if op.condition:
                    delete["ConditionExpression"] = op.condition
                    if op.values:
                        delete["ExpressionAttributeValues"] = op.values
                items.append({"Delete": delete})
            else:
                check: dict[str, Any] = {
                    "TableName": self.name,
                    "Key": op.key,
                    "ConditionExpression": op.condition,
                }
                if op.values:
                    check["ExpressionAttributeValues"] = op.values
                items.append({"ConditionCheck": check})
        try:
            self._client.transact_write_items(TransactItems=items)
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "TransactionCanceledException":
                reasons = [str(r.get("Code", "None")) for r in exc.response.get("CancellationReasons", [])]
                raise TransactionCancelled(reasons) from exc
            raise
