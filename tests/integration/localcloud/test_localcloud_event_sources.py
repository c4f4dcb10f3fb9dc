"""The local cloud's event source mappings (`localcloud.event_sources`) behave as Lambda's: filters,
partial batch failures, stream retries and OnFailure, SQS redrive; and a cancelled transaction leaves
no stream record (`localcloud.moto_dynamodb`)."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from localcloud import LocalCloud

pytestmark = pytest.mark.integration

RECORDER_DIR = "tests/integration/localcloud/handlers/recorder"


def wait_for(check: Callable[[], Any], timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.05)


class Queue:
    def __init__(self, cloud: LocalCloud, name: str, **attributes: str) -> None:
        self.sqs = cloud.client("sqs")
        self.url = self.sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
        attributes = self.sqs.get_queue_attributes(QueueUrl=self.url, AttributeNames=["QueueArn"])
        self.arn = attributes["Attributes"]["QueueArn"]
        self.received: list[dict[str, Any]] = []

    def drain(self) -> list[dict[str, Any]]:
        """Everything received so far (bodies, parsed)."""
        while True:
            messages = self.sqs.receive_message(QueueUrl=self.url, MaxNumberOfMessages=10).get("Messages", [])
            if not messages:
                return self.received
            for message in messages:
                self.received.append(json.loads(message["Body"]))
                self.sqs.delete_message(QueueUrl=self.url, ReceiptHandle=message["ReceiptHandle"])


@pytest.fixture
def observed(cloud: LocalCloud) -> Queue:
    return Queue(cloud, f"observed-{uuid.uuid4().hex[:8]}")


@pytest.fixture
def recorder(cloud: LocalCloud, observed: Queue) -> str:
    return cloud.create_function(
        f"recorder-{uuid.uuid4().hex[:8]}", RECORDER_DIR, environment={"OBSERVED_QUEUE_URL": observed.url}
    )


@pytest.fixture
def stream_table(cloud: LocalCloud) -> Iterator[tuple[str, str]]:
    dynamodb = cloud.client("dynamodb")
    name = f"sources-{uuid.uuid4().hex[:8]}"
    table = dynamodb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "PK", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
    )["TableDescription"]
    yield name, str(table["LatestStreamArn"])
    dynamodb.delete_table(TableName=name)


def keys_of(queue: Queue) -> list[str]:
    return [body["key"] for body in queue.drain()]


def test_stream_filters_and_cancelled_transactions(
    cloud: LocalCloud, recorder: str, observed: Queue, stream_table: tuple[str, str]
) -> None:
    table, stream = stream_table
    dynamodb = cloud.client("dynamodb")
    pattern = {"eventName": ["INSERT"], "dynamodb": {"NewImage": {"kind": {"S": ["wanted"]}}}}
    mapping = cloud.client("lambda").create_event_source_mapping(
        EventSourceArn=stream,
        FunctionName=recorder,
        StartingPosition="TRIM_HORIZON",
        FilterCriteria={"Filters": [{"Pattern": json.dumps(pattern)}]},
    )
    try:
        dynamodb.put_item(TableName=table, Item={"PK": {"S": "other"}, "kind": {"S": "other"}})
        dynamodb.put_item(TableName=table, Item={"PK": {"S": "taken"}, "kind": {"S": "other"}})
        with pytest.raises(dynamodb.exceptions.TransactionCanceledException):
            dynamodb.transact_write_items(
                TransactItems=[
                    {"Put": {"TableName": table, "Item": {"PK": {"S": "phantom"}, "kind": {"S": "wanted"}}}},
                    {
                        "Put": {
                            "TableName": table,
                            "Item": {"PK": {"S": "taken"}},
                            "ConditionExpression": "attribute_not_exists(PK)",
                        }
                    },
                ]
            )
        kept = {"PK": {"S": "kept"}, "kind": {"S": "wanted"}}
        dynamodb.transact_write_items(TransactItems=[{"Put": {"TableName": table, "Item": kept}}])
        dynamodb.put_item(TableName=table, Item={"PK": {"S": "kept"}, "kind": {"S": "wanted"}})  # MODIFY

        assert wait_for(lambda: keys_of(observed)) == ["kept"]
        time.sleep(0.5)
        assert keys_of(observed) == ["kept"]
    finally:
        cloud.client("lambda").delete_event_source_mapping(UUID=mapping["UUID"])


def test_stream_retries_from_the_failed_record_then_hands_the_batch_to_on_failure(
    cloud: LocalCloud, recorder: str, observed: Queue, stream_table: tuple[str, str]
) -> None:
    table, stream = stream_table
    dead_letters = Queue(cloud, f"on-failure-{uuid.uuid4().hex[:8]}")
    mapping = cloud.client("lambda").create_event_source_mapping(
        EventSourceArn=stream,
        FunctionName=recorder,
        StartingPosition="TRIM_HORIZON",
        BatchSize=10,
        FunctionResponseTypes=["ReportBatchItemFailures"],
        MaximumRetryAttempts=2,
        DestinationConfig={"OnFailure": {"Destination": dead_letters.arn}},
    )
    try:
        dynamodb = cloud.client("dynamodb")
        dynamodb.put_item(TableName=table, Item={"PK": {"S": "stuck"}, "fail": {"S": "partial"}})
        assert wait_for(lambda: len(dead_letters.drain()) == 1)
        dynamodb.put_item(TableName=table, Item={"PK": {"S": "after"}})

        assert wait_for(lambda: "after" in keys_of(observed))
        assert keys_of(observed) == ["stuck", "stuck", "stuck", "after"]  # one attempt and two retries
        [failure] = dead_letters.received
        assert failure["requestContext"]["condition"] == "RetryAttemptsExhausted"
        assert failure["requestContext"]["approximateInvokeCount"] == 3
        assert failure["DDBStreamBatchInfo"]["batchSize"] == 1
        assert failure["DDBStreamBatchInfo"]["streamArn"] == stream
    finally:
        cloud.client("lambda").delete_event_source_mapping(UUID=mapping["UUID"])


def test_queue_reports_partial_failures_and_redrives_to_the_dead_letter_queue(
    cloud: LocalCloud, recorder: str, observed: Queue
) -> None:
    name = f"consumer-{uuid.uuid4().hex[:8]}"
    dead_letters = Queue(cloud, f"{name}-dlq")
    redrive = json.dumps({"deadLetterTargetArn": dead_letters.arn, "maxReceiveCount": "2"})
    queue = Queue(cloud, name, VisibilityTimeout="1", RedrivePolicy=redrive)
    mapping = cloud.client("lambda").create_event_source_mapping(
        EventSourceArn=queue.arn,
        FunctionName=recorder,
        BatchSize=10,
        FunctionResponseTypes=["ReportBatchItemFailures"],
    )
    try:
        for key, fail in (("fine", None), ("bad", "partial")):
            queue.sqs.send_message(QueueUrl=queue.url, MessageBody=json.dumps({"key": key, "fail": fail}))

        assert wait_for(lambda: [body["key"] for body in dead_letters.drain()] == ["bad"])
        seen = [(body["key"], body["receives"]) for body in observed.drain()]
        assert sorted(seen) == [("bad", "1"), ("bad", "2"), ("fine", "1")]
    finally:
        cloud.client("lambda").delete_event_source_mapping(UUID=mapping["UUID"])
