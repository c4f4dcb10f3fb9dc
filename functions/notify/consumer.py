"""The notify consumer: domain events (through its own queue) -> e-mails and SMS to the people they
concern. Partial batch failures: an event whose message could not be sent fails its own SQS message
only (retried, then dead-lettered); its messages already sent are not sent again (delivery log).
A validated registration, an agenda change or a change of the event's dates also (re)plans reminders
(EventBridge Scheduler). A mailing's recipient messages are sent a batch at a time (``mailing_send``)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError
from salon.kernel import consumer
from salon.kernel.consumer import DomainEvent
from salon.notify.services import dispatch, mailing_send, reminders

logger = Logger()
CONSUMER = "notify"


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    mailing: list[mailing_send.Addressed] = []
    others: list[dict[str, Any]] = []
    for record in event.get("Records", []):
        one = _mailing_message(record)
        if one is None:
            others.append(record)
        else:
            mailing.append(one)
    failures = [{"itemIdentifier": i} for i in mailing_send.send(mailing)]
    if others:
        response = consumer.process({**event, "Records": others}, context, name=CONSUMER, handle=handle)
        failures += response.get("batchItemFailures", [])
    return {"batchItemFailures": failures}


def _mailing_message(record: dict[str, Any]) -> mailing_send.Addressed | None:
    try:
        return mailing_send.addressed(record["messageId"], DomainEvent.model_validate_json(record["body"]))
    except (ValidationError, KeyError):  # not a domain event: ``consumer.process`` fails it
        return None


def handle(event: DomainEvent) -> None:
    """The messages the event calls for, then the reminders it plans (both safe to repeat)."""
    dispatch.handle(event)
    reminders.plan_for(event)
