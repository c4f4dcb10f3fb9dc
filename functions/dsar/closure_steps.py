"""The tenant closure's steps (one Lambda function each, same code directory), invoked by the state
machine with {"tenant_id", "closure_id"}: inventory and verify; closure_erase.py erases a store,
closure_end.py certifies or fails."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext
from salon.dsar.services import closure_steps

logger = Logger()


def _ids(event: dict[str, Any]) -> tuple[str, str]:
    return str(event["tenant_id"]), str(event["closure_id"])


@logger.inject_lambda_context(log_event=False)
def inventory(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    logger.info("inventory", extra={"closure_id": event["closure_id"]})
    return closure_steps.inventory(*_ids(event))


@logger.inject_lambda_context(log_event=False)
def verify(event: dict[str, Any], context: LambdaContext) -> None:
    logger.info("verify", extra={"closure_id": event["closure_id"]})
    closure_steps.check(*_ids(event))
