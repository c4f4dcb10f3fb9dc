"""The tenant closure's erase step (its own Lambda function: the only one of the closure allowed to
delete), invoked by the state machine's Map with {"tenant_id", "closure_id", "store"}."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext
from salon.dsar.services import closure_erase

logger = Logger()


@logger.inject_lambda_context(log_event=False)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, str]:
    logger.info("erase", extra={"closure_id": event["closure_id"], "store": event["store"]})
    return closure_erase.erase(str(event["tenant_id"]), str(event["closure_id"]), str(event["store"]))
