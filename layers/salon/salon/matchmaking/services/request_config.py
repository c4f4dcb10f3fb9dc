"""The organiser's settings of meeting requests: the caps per participation type, and the boost of a
pair of companies (sponsors) that the scheduling weight adds."""

from __future__ import annotations

from salon.kernel.caller import Caller, require
from salon.kernel.errors import NotFound
from salon.kernel.idempotency import idempotent
from salon.kernel.principal import CONFIGURE, READ_CONFIG
from salon.matchmaking import deps
from salon.matchmaking.adapters.requests_repo import request_expiry
from salon.matchmaking.domain.request_commands import BoostOutcome, BoostPair, LimitsOutcome, PutRequestLimits
from salon.matchmaking.domain.requests import MatchmakingRules
from salon.matchmaking.services.requests import event_of


def get_limits(caller: Caller, event_id: str) -> tuple[MatchmakingRules, int]:
    principal = require(caller, READ_CONFIG)
    event_of(principal.tenant_id, event_id)
    return deps.get().requests.rules(principal.tenant_id, event_id)


@idempotent
def put_limits(caller: Caller, command: PutRequestLimits) -> LimitsOutcome:
    """Replace the caps, over the version they were read at (409 if they changed since)."""
    principal = require(caller, CONFIGURE)
    event_of(principal.tenant_id, command.event_id)
    d = deps.get()
    d.requests.put_rules(principal.tenant_id, command.event_id, command.rules, command.version + 1, d.clock())
    return LimitsOutcome(event_id=command.event_id, version=command.version + 1)


@idempotent
def boost_pair(caller: Caller, command: BoostPair) -> BoostOutcome:
    principal = require(caller, CONFIGURE)
    event = event_of(principal.tenant_id, command.event_id)
    a, b = command.registration_ids
    d = deps.get()
    found = d.requests.events_of(principal.tenant_id, (a, b))
    if len(found) != 2 or set(found.values()) != {command.event_id}:
        raise NotFound("both companies must be registrations of this event")
    d.requests.set_boost(
        principal.tenant_id, command.event_id, a, b, command.boost, d.clock(), request_expiry(event.ends_at)
    )
    return BoostOutcome(event_id=command.event_id, registration_ids=sorted((a, b)), boost=command.boost)
