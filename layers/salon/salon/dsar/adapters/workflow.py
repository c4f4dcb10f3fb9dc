"""The request's state machine: executions named after the requests, resumed by the verification's
task token."""

from __future__ import annotations

import json
import os
from typing import Any

from salon.kernel import aws


class Workflow:
    def __init__(self, state_machine_arn: str) -> None:
        self.arn = state_machine_arn

    def start(self, dsar_id: str, payload: dict[str, Any]) -> None:
        aws.stepfunctions().start_execution(stateMachineArn=self.arn, name=dsar_id, input=json.dumps(payload))

    def resume(self, token: str, output: dict[str, Any]) -> None:
        aws.stepfunctions().send_task_success(taskToken=token, output=json.dumps(output))

    def reject(self, token: str, cause: str) -> None:
        aws.stepfunctions().send_task_failure(taskToken=token, error="IdentityNotVerified", cause=cause)


def workflow() -> Workflow:
    return Workflow(os.environ.get("DSAR_STATE_MACHINE_ARN", ""))
