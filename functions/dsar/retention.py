"""The retention sweep's steps (state machine, daily): the events and orders due; one event swept, or
one order's contractual records pseudonymised, per invocation (two Maps); the reports. Invoked with
{"now"?, "tenant_id"?}: a simulated clock and one tenant for a sweep on demand (`make sweep`), nothing
for the daily one."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext
from salon.dsar.services import retention

logger = Logger()


@logger.inject_lambda_context(log_event=False)
def due(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    found = retention.due(event.get("now"), event.get("tenant_id"))
    logger.info("due", extra={"events": len(found["events"]), "contracts": len(found["contracts"])})
    return found


@logger.inject_lambda_context(log_event=False)
def sweep(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    if "order_id" in event:  # the contractual Map: one order's records
        logger.info("pseudonymise", extra={"tenant_id": event["tenant_id"], "order_id": event["order_id"]})
        return retention.pseudonymise_order(
            str(event["tenant_id"]), str(event["order_id"]), str(event["now"])
        )
    logger.info("sweep", extra={"tenant_id": event["tenant_id"], "event_id": event["event_id"]})
    return retention.sweep_event(str(event["tenant_id"]), str(event["event_id"]), str(event["now"]))


@logger.inject_lambda_context(log_event=False)
def report(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return retention.report(list(event["swept"]), str(event["now"]), list(event.get("pseudonymised", [])))
