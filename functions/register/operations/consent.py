"""An erased person consents afresh to a registration that names them, through their e-mail's link."""

from __future__ import annotations

from salon.kernel.caller import Caller
from salon.kernel.http import Router
from salon.kernel.routes import REGISTER
from salon.registration.responses import ConsentConfirmed
from salon.registration.services import consent

router = Router(REGISTER)


@router.route("POST /consents/{token}", response=ConsentConfirmed)
def consent_by_link(caller: Caller, token: str) -> ConsentConfirmed:
    return consent.confirm(caller, token)
