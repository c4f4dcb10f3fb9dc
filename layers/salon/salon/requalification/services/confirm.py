"""A person confirms their data: signed in (``POST /me/requalify``, every participation of the login)
or through the e-mail's link (``POST /requalify/{token}``, until the request's due date). Either sets
the verified date, settles the request and clears the organiser's flag, in one transaction; so does
editing ``/me`` (``on_verified``)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from salon.kernel import keys
from salon.kernel.caller import Caller, require
from salon.kernel.dynamo import Update
from salon.kernel.errors import NotFound
from salon.kernel.principal import SELF
from salon.kernel.values import iso
from salon.requalification import deps
from salon.requalification.domain import rules


class Requalified(BaseModel):
    model_config = ConfigDict(defer_build=True)

    participant_ids: list[str]
    last_verified_at: str


def verified_values(tenant_id: str, registration_id: str, participant_id: str, at: str) -> dict[str, Any]:
    """The participant's verified date and its place in the verification index."""
    return {
        "last_verified_at": at,
        "updated_at": at,
        **keys.contact_verified_keys(at, tenant_id, registration_id, participant_id),
    }


def on_verified(
    tenant_id: str, registration_id: str, participant_id: str, at: str
) -> tuple[dict[str, Any], tuple[str, ...], list[Update]]:
    """What a write that verifies a participant's data (``PATCH /me``) adds to its transaction: values
    to set on the participant, attributes to remove from it, and the request's and company's updates."""
    store = deps.get().requests
    remove, also = store.confirmation(store.get(tenant_id, registration_id, participant_id), at)
    return verified_values(tenant_id, registration_id, participant_id, at), remove, also


def _confirm(tenant_id: str, registration_id: str, participant_id: str, at: str) -> None:
    store = deps.get().requests
    request = store.get(tenant_id, registration_id, participant_id)
    store.confirm(
        tenant_id,
        registration_id,
        participant_id,
        verified_values(tenant_id, registration_id, participant_id, at),
        request,
    )


def confirm_me(caller: Caller) -> Requalified:
    """The signed-in participant confirms the data of every participation of their login."""
    principal = require(caller, SELF)
    links = deps.get().links.of(principal.tenant_id, principal.sub)
    if not links:
        raise NotFound("no participation is linked to this account")
    at = iso(deps.get().clock())
    for link in links:
        _confirm(principal.tenant_id, str(link["registration_id"]), str(link["participant_id"]), at)
    return Requalified(
        participant_ids=sorted(str(link["participant_id"]) for link in links), last_verified_at=at
    )


def confirm_link(caller: Caller, token: str) -> Requalified:
    """Anyone holding the e-mail's link confirms that one participation, until the request's due date
    (404 after it, or for a link that is not Salon's: signing in still works). Confirming twice is fine."""
    request = deps.get().requests.by_token_hash(rules.token_hash(token))
    moment = deps.get().clock()
    if request is None or not rules.link_is_valid(request, moment):
        raise NotFound("no such confirmation link, or it has expired")
    pid = str(request["participant_id"])
    if request["status"] == rules.CONFIRMED:
        return Requalified(participant_ids=[pid], last_verified_at=str(request.get("updated_at")))
    at = iso(moment)
    _confirm(str(request["tenant_id"]), str(request["registration_id"]), pid, at)
    return Requalified(participant_ids=[pid], last_verified_at=at)
