"""The data-subject request's steps (one Lambda function each, same code directory), invoked by the
state machine with {"tenant_id", "dsar_id"}: await (with the task token), find, act (with a batch),
check, certify and fail (with the caught error)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext
from salon.dsar.services import steps
from salon.kernel.step_failures import message

logger = Logger()


def _ids(event: dict[str, Any]) -> tuple[str, str]:
    return str(event["tenant_id"]), str(event["dsar_id"])


@logger.inject_lambda_context(log_event=False)
def await_verification(event: dict[str, Any], context: LambdaContext) -> None:
    logger.info("await verification", extra={"dsar_id": event["dsar_id"]})
    steps.await_verification(*_ids(event), str(event["task_token"]))


@logger.inject_lambda_context(log_event=False)
def find(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    logger.info("find", extra={"dsar_id": event["dsar_id"]})
    return steps.find(*_ids(event))


@logger.inject_lambda_context(log_event=False)
def act(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    logger.info("act", extra={"dsar_id": event["dsar_id"], "batch": event["batch"]})
    return steps.act(*_ids(event), str(event["batch"]))


@logger.inject_lambda_context(log_event=False)
def check(event: dict[str, Any], context: LambdaContext) -> None:
    logger.info("check", extra={"dsar_id": event["dsar_id"]})
    steps.check(*_ids(event))


@logger.inject_lambda_context(log_event=False)
def certify(event: dict[str, Any], context: LambdaContext) -> None:
    logger.info("certify", extra={"dsar_id": event["dsar_id"]})
    steps.certify(*_ids(event))


@logger.inject_lambda_context(log_event=False)
def fail(event: dict[str, Any], context: LambdaContext) -> None:
    error = event.get("error") or {}
    logger.info("fail", extra={"dsar_id": event["dsar_id"], "error": error.get("Error")})
    steps.fail(*_ids(event), str(error.get("Error", "")), message(str(error.get("Cause", ""))))
