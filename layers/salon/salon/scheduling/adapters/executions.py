"""The scheduling run's state machines: a run's (executions named after the runs) and its publishing's
(executions named after the run and the attempt)."""

from __future__ import annotations

import json
import os
from typing import Any

from salon.kernel import aws


class Executions:
    """One of the scheduling run's state machines."""

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


def executions() -> Executions:
    return Executions(os.environ.get("SCHEDULE_RUN_STATE_MACHINE_ARN", ""))


def publishings() -> Executions:
    return Executions(os.environ.get("PUBLISH_RUN_STATE_MACHINE_ARN", ""))
