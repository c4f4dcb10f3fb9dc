"""The publish state machine's step (its own Lambda function): write a publishing run's meetings and
agendas, then mark it published. Invoked with {"tenant_id", "run_id"}; a failure is recorded by the
scheduling run's fail step (steps.fail), which puts the run back to ready with the reason."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext
from salon.scheduling.services import publish

logger = Logger()


@logger.inject_lambda_context(log_event=False)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    logger.info("publish", extra={"run_id": event["run_id"]})
    return publish.step(event["tenant_id"], event["run_id"])
