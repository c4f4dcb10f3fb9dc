"""The search indexer: domain events (through its own queue) -> the company's card rebuilt from the
table and upserted into, or deleted from, the catalogue index. Partial batch failures: a card that
cannot be written fails its own message only (retried, then dead-lettered)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext
from salon.kernel import consumer
from salon.matchmaking.services import indexer

logger = Logger()
CONSUMER = "search-indexer"


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return consumer.process(event, context, name=CONSUMER, handle=indexer.handle)
