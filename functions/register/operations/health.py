"""GET /health: answers while the API is up."""

from __future__ import annotations

from salon.kernel.caller import Caller
from salon.kernel.http import Router
from salon.kernel.routes import REGISTER
from salon.registration.responses import Health

router = Router(REGISTER)


@router.route("GET /health", response=Health)
def health(caller: Caller) -> Health:
    return Health(status="ok")
