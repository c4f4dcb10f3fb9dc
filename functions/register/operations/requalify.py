"""A participant confirms their contact details are still right, signed in or through their link."""

from __future__ import annotations

from salon.kernel.caller import Caller
from salon.kernel.http import Router
from salon.kernel.routes import REGISTER
from salon.requalification.services import confirm
from salon.requalification.services.confirm import Requalified

router = Router(REGISTER)


@router.route("POST /me/requalify", response=Requalified)
def requalify_me(caller: Caller) -> Requalified:
    return confirm.confirm_me(caller)


@router.route("POST /requalify/{token}", response=Requalified)
def requalify_by_link(caller: Caller, token: str) -> Requalified:
    return confirm.confirm_link(caller, token)
