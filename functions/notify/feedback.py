"""What comes back from the providers (SNS): SES deliveries, bounces and complaints, and inbound SMS
(STOP) -> the delivery log and the tenants' suppression lists."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext
from salon.notify.services import feedback

logger = Logger()


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> None:
    for record in event.get("Records", []):
        feedback.handle(feedback.parse(record))
