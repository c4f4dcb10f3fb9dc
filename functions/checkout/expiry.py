"""Scheduled (EventBridge rate rule): end the orders left unpaid at their expiry and give their units
back. Thin: the sweep is ``salon.checkout.services.expiry``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from salon.checkout.services.expiry import sweep_unpaid_orders
from salon.kernel import logs

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logs.configure()


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    outcome = sweep_unpaid_orders()
    return {"expired": outcome.expired, "left": outcome.left}
