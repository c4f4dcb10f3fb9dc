"""The local cloud's DynamoDB answers a retried transaction (same ClientRequestToken) as DynamoDB does:
a success that writes nothing again."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from localcloud import LocalCloud

pytestmark = pytest.mark.integration


def _add_one(table: str, pk: str, token: str) -> dict[str, Any]:
    return {
        "TransactItems": [
            {
                "Update": {
                    "TableName": table,
                    "Key": {"PK": {"S": pk}, "SK": {"S": "COUNTER"}},
                    "UpdateExpression": "ADD #n :one",
                    "ConditionExpression": "attribute_not_exists(#n) OR #n < :most",
                    "ExpressionAttributeNames": {"#n": "n"},
                    "ExpressionAttributeValues": {":one": {"N": "1"}, ":most": {"N": "2"}},
                }
            }
        ],
        "ClientRequestToken": token,
    }


def test_a_retried_transaction_succeeds_without_writing_twice(cloud: LocalCloud) -> None:
    dynamodb, table = cloud.client("dynamodb"), cloud.resources.table_name
    pk = f"T#probe-{uuid.uuid4().hex}#COUNTER"
    key = {"PK": {"S": pk}, "SK": {"S": "COUNTER"}}

    def count() -> int:
        return int(dynamodb.get_item(TableName=table, Key=key)["Item"]["n"]["N"])

    first = str(uuid.uuid4())
    dynamodb.transact_write_items(**_add_one(table, pk, first))
    dynamodb.transact_write_items(**_add_one(table, pk, first))  # the retry of a committed attempt
    assert count() == 1
    dynamodb.transact_write_items(**_add_one(table, pk, str(uuid.uuid4())))  # another transaction
    assert count() == 2
    with pytest.raises(dynamodb.exceptions.TransactionCanceledException):
        dynamodb.transact_write_items(**_add_one(table, pk, str(uuid.uuid4())))  # its condition fails
    dynamodb.delete_item(TableName=table, Key=key)
