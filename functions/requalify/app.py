"""The re-qualification passes (EventBridge Scheduler): ``{"pass": "request"}`` on 1 January and
1 July (Paris time) asks the contacts not verified for 6 months to confirm their data;
``{"pass": "flag"}`` every day flags those whose delay has passed. ``now`` (a simulated clock) and
``tenant_id`` (one tenant) run a pass on demand (``make requalify``); ``{"pass": "enrol"}``, run once
after deployment, gives the participants stored before the verification index their entry."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext
from salon.requalification.services import enrol, passes

logger = Logger()
# "enrol" is run once after deploying the index (participants stored before it), never scheduled.
PASSES = {"request": passes.request_pass, "flag": passes.flag_pass, "enrol": enrol.enrol_pass}


@logger.inject_lambda_context(log_event=False)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    run = PASSES.get(str(event.get("pass")))
    if run is None:
        raise ValueError(f"unknown pass {event.get('pass')!r}: one of {sorted(PASSES)}")
    result = run(event.get("now"), event.get("tenant_id"))
    logger.info(
        "requalification pass",
        extra={"pass": event["pass"], **{k: v for k, v in result.items() if k != "now"}},
    )
    return result
