"""The reminder function: an EventBridge Scheduler schedule fired (input: ids and the time it was
planned for) -> the reminder, if the current state still calls for it, sent once."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext
from salon.notify.services import reminder_fire

logger = Logger()


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    return {"sent": reminder_fire.fire(event)}
