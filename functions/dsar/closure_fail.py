"""The tenant closure's fail step (its own Lambda function), invoked by the state machine with
{"tenant_id", "closure_id", "error"} (the caught error)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext
from salon.dsar.services import closure_fail
from salon.kernel.step_failures import message

logger = Logger()


def _ids(event: dict[str, Any]) -> tuple[str, str]:
    return str(event["tenant_id"]), str(event["closure_id"])


@logger.inject_lambda_context(log_event=False)
def fail(event: dict[str, Any], context: LambdaContext) -> None:
    error = event.get("error") or {}
    logger.info("fail", extra={"closure_id": event["closure_id"], "error": error.get("Error")})
    closure_fail.fail(*_ids(event), str(error.get("Error", "")), message(str(error.get("Cause", ""))))
