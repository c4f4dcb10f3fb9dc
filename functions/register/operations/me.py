"""A participant's own record (/me): reading it, changing it, their profile."""

from __future__ import annotations

from salon.kernel.caller import Caller
from salon.kernel.http import Router
from salon.kernel.routes import REGISTER
from salon.registration import examples
from salon.registration.domain.participants import MePatch, ProfileInput
from salon.registration.responses import MeOut
from salon.registration.services import me

router = Router(REGISTER)


@router.route("GET /me", response=MeOut)
def get_me(caller: Caller) -> MeOut:
    return me.get_me(caller)


@router.route("PATCH /me", response=MeOut, body=MePatch, example=examples.ME_PATCH)
def patch_me(caller: Caller, body: MePatch) -> MeOut:
    return me.patch_me(caller, body)


@router.route("PUT /me/profile", response=MeOut, body=ProfileInput, example=examples.PROFILE)
def put_profile(caller: Caller, body: ProfileInput) -> MeOut:
    return me.put_profile(caller, body)
