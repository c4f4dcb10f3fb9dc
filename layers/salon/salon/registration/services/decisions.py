"""The organiser's decisions on a registration (validating opens the logins); deactivating a participant."""

from __future__ import annotations

from typing import Any

from salon.kernel import audit
from salon.kernel.caller import Caller, require
from salon.kernel.domain_events import EventDetail
from salon.kernel.errors import DependencyUnavailable, NotFound
from salon.kernel.idempotency import idempotent
from salon.kernel.outbox import dedupe_id, event_put
from salon.kernel.principal import ADMINISTER_ACCOUNTS, REVIEW
from salon.kernel.values import iso
from salon.registration import deps, logins
from salon.registration.adapters.identity import IdentityError, NotAParticipantLogin
from salon.registration.adapters.registrations_repo import Bundle
from salon.registration.domain.commands import DeactivateParticipant, DecideRegistration
from salon.registration.domain.registrations import next_state
from salon.registration.responses import Deactivated, RegistrationSummary
from salon.registration.services.accounts import provision_accounts
from salon.registration.services.bundles import load_bundle, subjects_of
from salon.registration.services.views import summary


@idempotent
def decide(caller: Caller, command: DecideRegistration) -> RegistrationSummary:
    principal = require(caller, REVIEW)
    body = command.decision
    tenant_id = principal.tenant_id
    bundle = load_bundle(tenant_id, command.registration_id)
    current = bundle.registration["state"]
    if _resumes_validation(bundle, body.decision):
        return _open_logins(tenant_id, bundle)
    target = next_state(current, body.decision)
    at = deps.get().clock()
    now = iso(at)
    values: dict[str, Any] = {
        "state": target,
        "decided_at": now,
        "decided_by": principal.sub,
        "updated_at": now,
    }
    if body.reason:
        values["decision_reason"] = body.reason
    rid = bundle.registration["registration_id"]
    version = int(bundle.registration.get("version", 1)) + 1
    decided = EventDetail(
        tenant_id=tenant_id,
        dedupe_id=dedupe_id(tenant_id, rid, f"v{version}:{target}"),
        event_id=bundle.registration["event_id"],
        registration_id=rid,
        participant_ids=tuple(p["participant_id"] for p in bundle.participants),
        type=bundle.registration["type"],
        actor_id=principal.sub,
    )
    recorded = audit.entry(
        caller,
        role=principal.acting_role(REVIEW),
        action="registration.decide",
        subjects=subjects_of(bundle),
        item_types=["registration"],
        fields=["state", "decision_reason"],
        purpose=f"registration-{body.decision}",
    )
    also = [event_put(f"registration.{target}", decided, at), *audit.puts(recorded)]
    deps.get().registrations.decide(tenant_id, rid, current, values, also=also)
    bundle = load_bundle(tenant_id, rid)
    if target == "validated":
        return _open_logins(tenant_id, bundle)
    return RegistrationSummary.model_validate(summary(bundle))


def _resumes_validation(bundle: Bundle, decision: str) -> bool:
    """Validating again a validated registration whose logins Cognito failed to open finishes the job."""
    return (
        bundle.registration["state"] == "validated"
        and decision == "validate"
        and any(p.get("account_status") == "pending" for p in bundle.participants)
    )


def _open_logins(tenant_id: str, bundle: Bundle) -> RegistrationSummary:
    """The validated registration's logins (its `registration.validated` event went with the decision)."""
    if provision_accounts(tenant_id, bundle):
        raise DependencyUnavailable(
            "the registration is validated but some logins could not be opened; validate again to finish"
        )
    return RegistrationSummary.model_validate(summary(bundle))


def _withdraw_access(tenant_id: str, participant: dict[str, Any]) -> None:
    """Unlink this participation from its login; disable the login when no other participation uses it.

    A login is the person's access to this tenant: the same person validated in two events of the
    tenant keeps it for the other one. A login that is not a participant login of this tenant is
    left enabled (the refusal is logged by the adapter); the participation is unlinked all the same.
    """
    sub, username = participant.get("user_sub"), participant.get("cognito_username")
    if not sub or not username:
        return
    registrations = deps.get().registrations
    registrations.unlink_user(tenant_id, sub, participant["participant_id"])
    if registrations.links_of(tenant_id, sub):
        return
    try:
        logins.get().disable_participant(tenant_id, username)
    except NotAParticipantLogin:
        return
    except IdentityError as exc:
        raise DependencyUnavailable("the login could not be disabled; retry") from exc


@idempotent
def deactivate(caller: Caller, command: DeactivateParticipant) -> Deactivated:
    principal = require(caller, ADMINISTER_ACCOUNTS)
    bundle = load_bundle(principal.tenant_id, command.registration_id)
    participant = next(
        (p for p in bundle.participants if p["participant_id"] == command.participant_id), None
    )
    if participant is None:
        raise NotFound("no such participant in this registration")
    _withdraw_access(principal.tenant_id, participant)
    rid, pid = command.registration_id, command.participant_id
    at = deps.get().clock()
    deactivated = EventDetail(
        tenant_id=principal.tenant_id,
        dedupe_id=dedupe_id(principal.tenant_id, pid, "deactivated"),
        event_id=bundle.registration["event_id"],
        registration_id=rid,
        participant_ids=(pid,),
        type=bundle.registration["type"],
        actor_id=principal.sub,
    )
    recorded = audit.entry(
        caller,
        role=principal.acting_role(ADMINISTER_ACCOUNTS),
        action="participant.deactivate",
        subjects=[rid, pid],
        item_types=["participant"],
        fields=["account_status"],
        purpose="account-administration",
    )
    deps.get().registrations.update_participant(
        principal.tenant_id,
        rid,
        pid,
        {"account_status": "deactivated", "updated_at": iso(at)},
        also=[event_put("participant.deactivated", deactivated, at), *audit.puts(recorded)],
    )
    return Deactivated(registration_id=rid, participant_id=pid, account_status="deactivated")
