"""The notify consumer: domain events (through its own queue) -> e-mails and SMS to the people they
concern. Partial batch failures: an event whose message could not be sent fails its own SQS message
only (retried, then dead-lettered); its messages already sent are not sent again (delivery log).
A validated registration or an agenda change also plans reminders (EventBridge Scheduler)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext
from salon.kernel import consumer
from salon.kernel.consumer import DomainEvent
from salon.notify.services import dispatch, reminders

logger = Logger()
CONSUMER = "notify"


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return consumer.process(event, context, name=CONSUMER, handle=handle)


def handle(event: DomainEvent) -> None:
    """The messages the event calls for, then the reminders it plans (both safe to repeat)."""
    dispatch.handle(event)
    reminders.plan_for(event)
