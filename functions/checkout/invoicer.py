"""The invoicer: checkout's order events (through its own queue) -> invoices and credit notes.
Partial batch failures: an order that cannot be invoiced fails its own message only (retried, then
dead-lettered); issuing is idempotent per order and per refund, so a retry issues nothing twice."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext
from salon.checkout.services import invoicer
from salon.kernel import consumer

logger = Logger()
CONSUMER = "invoicer"


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return consumer.process(event, context, name=CONSUMER, handle=invoicer.handle)
