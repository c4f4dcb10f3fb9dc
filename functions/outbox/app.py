"""The outbox relay: publishes the outbox items the table's stream carries to the domain event bus.

Its event source mapping passes only INSERTs of ``item_type = outbox`` and reads partial batch
failures: the records the bus refused are retried (then bisected, then sent to the relay's dead
letters), the others are not published twice.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.data_classes import DynamoDBStreamEvent
from aws_lambda_powertools.utilities.typing import LambdaContext
from salon.kernel import relay
from salon.kernel.publisher import EventBridgePublisher
from salon.kernel.settings import get_settings

logger = Logger()


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    publisher = EventBridgePublisher(get_settings().event_bus_name)
    failed = relay.relay(list(DynamoDBStreamEvent(event).records), publisher)
    return {"batchItemFailures": [{"itemIdentifier": sequence} for sequence in failed]}
