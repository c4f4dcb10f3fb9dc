"""Regression tests of the moto Lambda seam (`localcloud.runtime`), pinned to moto 5.2.5.

Each path must reach the real handler (the echo test double writes a ``SEAM#<marker>`` item to the
Salon table), so any moto upgrade that bypasses `LambdaFunction._invoke_lambda` fails here.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from localcloud import LocalCloud

pytestmark = pytest.mark.integration

ECHO_DIR = "tests/integration/localcloud/handlers/echo"


def _wait_for(check: Callable[[], Any], timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.05)


def _seam_items(cloud: LocalCloud, marker: str) -> list[dict[str, Any]]:
    response = cloud.client("dynamodb").query(
        TableName=cloud.resources.table_name,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": f"SEAM#{marker}"}},
        ConsistentRead=True,
    )
    return list(response["Items"])


@pytest.fixture(scope="module")
def echo_arn(cloud: LocalCloud) -> str:
    return cloud.create_function(
        f"seam-echo-{uuid.uuid4().hex[:8]}",
        ECHO_DIR,
        environment={"TABLE_NAME": cloud.resources.table_name, "POWERTOOLS_SERVICE_NAME": "seam-echo"},
    )


def test_invoke_api_runs_the_handler_in_process(cloud: LocalCloud, echo_arn: str) -> None:
    marker = uuid.uuid4().hex
    response = cloud.client("lambda").invoke(FunctionName=echo_arn, Payload=json.dumps({"marker": marker}))

    payload = json.loads(response["Payload"].read())
    assert "FunctionError" not in response
    assert payload["marker"] == marker
    assert payload["function_name"] == echo_arn.rsplit(":", 1)[1]
    assert 0 < payload["remaining_ms"] <= 30_000
    assert payload["service"] == "seam-echo"
    assert len(_seam_items(cloud, marker)) == 1


def test_handler_exception_becomes_function_error(cloud: LocalCloud, echo_arn: str) -> None:
    response = cloud.client("lambda").invoke(FunctionName=echo_arn, Payload=json.dumps({"fail": True}))

    assert response["FunctionError"]
    error = json.loads(response["Payload"].read())
    assert error["errorType"] == "RuntimeError"
    assert error["errorMessage"] == "asked to fail"


def test_eventbridge_rule_to_sqs_to_lambda(cloud: LocalCloud, echo_arn: str) -> None:
    sqs, events, lambda_client = cloud.client("sqs"), cloud.client("events"), cloud.client("lambda")
    name = f"seam-{uuid.uuid4().hex[:8]}"
    dead_letters = sqs.create_queue(QueueName=f"{name}-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dead_letters, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    queue_url = sqs.create_queue(
        QueueName=name,
        Attributes={"RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "3"})},
    )["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    bus = cloud.resources.event_bus_name
    events.put_rule(Name=name, EventBusName=bus, EventPattern=json.dumps({"source": ["salon.seam"]}))
    events.put_targets(Rule=name, EventBusName=bus, Targets=[{"Id": "queue", "Arn": queue_arn}])
    mapping = lambda_client.create_event_source_mapping(
        EventSourceArn=queue_arn, FunctionName=echo_arn, BatchSize=1
    )
    marker = uuid.uuid4().hex
    try:
        events.put_events(
            Entries=[
                {
                    "EventBusName": bus,
                    "Source": "salon.seam",
                    "DetailType": "SeamChecked",
                    "Detail": json.dumps({"marker": marker}),
                }
            ]
        )
        assert _wait_for(lambda: _seam_items(cloud, marker)), "EventBridge -> SQS -> Lambda did not run"
    finally:
        lambda_client.delete_event_source_mapping(UUID=mapping["UUID"])


@pytest.fixture
def stream_table(cloud: LocalCloud) -> Iterator[str]:
    dynamodb = cloud.client("dynamodb")
    name = f"seam-stream-{uuid.uuid4().hex[:8]}"
    table = dynamodb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "PK", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )["TableDescription"]
    yield str(table["LatestStreamArn"])
    dynamodb.delete_table(TableName=name)


def test_dynamodb_stream_to_lambda(cloud: LocalCloud, echo_arn: str, stream_table: str) -> None:
    lambda_client = cloud.client("lambda")
    mapping = lambda_client.create_event_source_mapping(
        EventSourceArn=stream_table, FunctionName=echo_arn, StartingPosition="LATEST", BatchSize=1
    )
    key = uuid.uuid4().hex
    try:
        table_name = stream_table.split("/")[1]
        cloud.client("dynamodb").put_item(TableName=table_name, Item={"PK": {"S": key}})
        assert _wait_for(lambda: _seam_items(cloud, f"stream:{key}")), "stream -> Lambda did not run"
    finally:
        lambda_client.delete_event_source_mapping(UUID=mapping["UUID"])


def test_step_functions_lambda_task_executes_real_asl(cloud: LocalCloud, echo_arn: str) -> None:
    definition = {
        "StartAt": "Echo",
        "States": {
            "Echo": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": echo_arn, "Payload": {"marker.$": "$.marker"}},
                "OutputPath": "$.Payload",
                "Next": "Done",
            },
            "Done": {"Type": "Pass", "Parameters": {"echoed.$": "$.marker"}, "End": True},
        },
    }
    stepfunctions = cloud.client("stepfunctions")
    machine = stepfunctions.create_state_machine(
        name=f"seam-{uuid.uuid4().hex[:8]}",
        definition=json.dumps(definition),
        roleArn="arn:aws:iam::123456789012:role/localcloud-test",
    )
    marker = uuid.uuid4().hex
    execution = stepfunctions.start_execution(
        stateMachineArn=machine["stateMachineArn"], input=json.dumps({"marker": marker})
    )

    def finished() -> dict[str, Any] | None:
        described = stepfunctions.describe_execution(executionArn=execution["executionArn"])
        return dict(described) if described["status"] != "RUNNING" else None

    described = _wait_for(finished)
    assert described is not None and described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"]) == {"echoed": marker}
    assert len(_seam_items(cloud, marker)) == 1
