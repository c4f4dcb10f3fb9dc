"""Scheduled (EventBridge rate rule): expire the meeting requests still unanswered after their event's
answers deadline. Thin: the sweep is ``salon.matchmaking.services.request_expiry``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from salon.kernel import logs
from salon.matchmaking.services.request_expiry import sweep_overdue_requests

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logs.configure()


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    outcome = sweep_overdue_requests()
    return {"events": outcome.events, "expired": outcome.expired}
