"""Enrolling participants stored before the verification index existed: the one place the
re-qualification reads the whole table (a scan), run once after deployment (``{"pass": "enrol"}``),
never by a schedule."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from boto3.dynamodb.conditions import Attr
from botocore.exceptions import ClientError

from salon.kernel import aws, keys
from salon.kernel.dynamo import Item, Table, plain


class Enrolment:
    def __init__(self, table: Table) -> None:
        self.table = table

    def unindexed(self) -> Iterator[list[Item]]:
        """Participants without an entry in the verification index, a page at a time."""
        kwargs: dict[str, Any] = {
            "FilterExpression": Attr("item_type").eq("participant") & Attr("GSI1PK").not_exists()
        }
        while True:
            response = aws.dynamodb().Table(self.table.name).scan(**kwargs)
            yield [plain(i) for i in response.get("Items", [])]
            if not response.get("LastEvaluatedKey"):
                return
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def enrol(self, participant: Item, verified_at: str) -> bool:
        """Give the participant its index entry (unless a write gave it one meanwhile)."""
        index = keys.contact_verified_keys(
            verified_at,
            participant["tenant_id"],
            participant["registration_id"],
            participant["participant_id"],
        )
        try:
            aws.dynamodb().Table(self.table.name).update_item(
                Key={"PK": participant["PK"], "SK": participant["SK"]},
                UpdateExpression="SET GSI1PK = :pk, GSI1SK = :sk",
                ConditionExpression="attribute_exists(PK) AND attribute_not_exists(GSI1PK)",
                ExpressionAttributeValues={":pk": index["GSI1PK"], ":sk": index["GSI1SK"]},
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True
