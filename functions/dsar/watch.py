"""Hourly: publish how many data-subject requests are close to their due date (an EMF metric in the
function's logs; the template's alarm watches it)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from salon.dsar.services.watch import close_to_due

logger = Logger()
metrics = Metrics()
METRIC = "DsarRequestsCloseToDue"


@metrics.log_metrics
@logger.inject_lambda_context(log_event=False)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    count = close_to_due()
    metrics.add_metric(name=METRIC, unit=MetricUnit.Count, value=count)
    logger.info("requests close to due", extra={"count": count})
    return {"close_to_due": count}
