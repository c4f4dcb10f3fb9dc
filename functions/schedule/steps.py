"""The scheduling run's steps other than solving (one Lambda function each, same code directory):
snapshot, check (-> ready) and fail. Invoked by the state machine with {"tenant_id", "run_id"}; the
fail step also gets the caught error ({"Error", "Cause"})."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext
from salon.kernel.step_failures import message
from salon.scheduling.services import steps

logger = Logger()


@logger.inject_lambda_context(log_event=False)
def snapshot(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    logger.info("snapshot", extra={"run_id": event["run_id"]})
    return steps.snapshot(event["tenant_id"], event["run_id"])


@logger.inject_lambda_context(log_event=False)
def check(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    logger.info("check", extra={"run_id": event["run_id"]})
    return steps.check(event["tenant_id"], event["run_id"])


@logger.inject_lambda_context(log_event=False)
def fail(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    error = event.get("error") or {}
    logger.info("fail", extra={"run_id": event["run_id"], "error": error.get("Error")})
    return steps.fail(
        event["tenant_id"],
        event["run_id"],
        str(error.get("Error", "")),
        message(str(error.get("Cause", ""))),
    )
