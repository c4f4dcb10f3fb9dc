"""The tenant closure's certify step (its own Lambda function), invoked by the state machine with
{"tenant_id", "closure_id"}."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext
from salon.dsar.services import closure_end

logger = Logger()


def _ids(event: dict[str, Any]) -> tuple[str, str]:
    return str(event["tenant_id"]), str(event["closure_id"])


@logger.inject_lambda_context(log_event=False)
def certify(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    logger.info("certify", extra={"closure_id": event["closure_id"]})
    return closure_end.certify(*_ids(event))
