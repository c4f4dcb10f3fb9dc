"""A tenant's closure over HTTP (the organiser). Thin: routes -> salon.dsar.services.closure."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from salon.dsar.domain.closure import ClosureInput
from salon.dsar.services import closure
from salon.dsar.services.closure import ClosureOut, ClosureStarted
from salon.kernel import logs
from salon.kernel.caller import Caller
from salon.kernel.http import Router
from salon.kernel.routes import TENANT_CLOSURE

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logs.configure()
router = Router(TENANT_CLOSURE)

CONFIRMATION = {"confirm": "tenant-demo", "without_export": False}


@router.route(
    "POST /tenant/close", response=ClosureStarted, status=202, body=ClosureInput, example=CONFIRMATION
)
def close(caller: Caller, body: ClosureInput) -> ClosureStarted:
    return closure.close(caller, body)


@router.route("GET /tenant/closures/{closure_id}", response=ClosureOut)
def get(caller: Caller, closure_id: str) -> ClosureOut:
    return closure.get(caller, closure_id)


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return router.handle(event)
