"""The run's JSON documents in the schedule bucket, always under the tenant's prefix."""

from __future__ import annotations

import json
import os
from typing import Any

from salon.kernel import aws, keys


class Documents:
    def __init__(self, bucket: str) -> None:
        self.bucket = bucket

    def put(self, tenant_id: str, run_id: str, name: str, document: Any) -> str:
        key = keys.run_prefix(tenant_id, run_id) + name
        aws.s3().put_object(
            Bucket=self.bucket, Key=key, Body=json.dumps(document).encode(), ContentType="application/json"
        )
        return key

    def get(self, tenant_id: str, run_id: str, name: str) -> Any:
        key = keys.run_prefix(tenant_id, run_id) + name
        return json.loads(aws.s3().get_object(Bucket=self.bucket, Key=key)["Body"].read())


class Executions:
    """The scheduling run's state machine."""

    def __init__(self, state_machine_arn: str) -> None:
        self.arn = state_machine_arn

    def start(self, run_id: str, payload: dict[str, Any]) -> str:
        started = aws.stepfunctions().start_execution(
            stateMachineArn=self.arn, name=run_id, input=json.dumps(payload)
        )
        return str(started["executionArn"])

    def stop(self, run_id: str) -> None:
        """The execution is named after the run, so its ARN follows from the state machine's."""
        arn = self.arn.replace(":stateMachine:", ":execution:", 1) + f":{run_id}"
        aws.stepfunctions().stop_execution(executionArn=arn, cause="cancelled by the organiser")


def documents() -> Documents:
    return Documents(os.environ.get("SCHEDULE_BUCKET", ""))


def executions() -> Executions:
    return Executions(os.environ.get("SCHEDULE_RUN_STATE_MACHINE_ARN", ""))
