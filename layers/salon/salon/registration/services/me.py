"""A participant reads and rectifies their own data (no audit: the person is the subject)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from salon.kernel.caller import Caller, require
from salon.kernel.domain_events import EventDetail
from salon.kernel.dynamo import Put
from salon.kernel.errors import FieldError, NotFound, ValidationFailed
from salon.kernel.outbox import dedupe_id, event_put
from salon.kernel.principal import SELF, Principal
from salon.kernel.values import iso
from salon.registration import deps
from salon.registration.adapters.registrations_repo import Bundle
from salon.registration.domain.participants import MePatch, ProfileInput
from salon.registration.responses import MeOut
from salon.registration.services.completion import refresh
from salon.registration.services.views import profile_view
from salon.requalification.services import confirm as requalification


def _links(principal: Principal) -> list[dict[str, Any]]:
    links = deps.get().registrations.links_of(principal.tenant_id, principal.sub)
    if not links:
        raise NotFound("no participation is linked to this account")
    return sorted(links, key=lambda link: str(link["participant_id"]))


def _bundles(principal: Principal, links: list[dict[str, Any]]) -> list[tuple[dict[str, Any], Bundle]]:
    out: list[tuple[dict[str, Any], Bundle]] = []
    for link in links:
        bundle = deps.get().registrations.bundle(principal.tenant_id, link["registration_id"])
        if bundle is not None:
            out.append((link, bundle))
    return out


def _view(principal: Principal) -> MeOut:
    participations: list[dict[str, Any]] = []
    for link, bundle in _bundles(principal, _links(principal)):
        reg = bundle.registration
        person = next((p for p in bundle.participants if p["participant_id"] == link["participant_id"]), None)
        if person is None:
            continue
        participations.append(
            {
                "event_id": reg["event_id"],
                "registration_id": reg["registration_id"],
                "participant_id": person["participant_id"],
                "registration_state": reg["state"],
                "type": reg["type"],
                "first_name": person.get("first_name"),
                "last_name": person.get("last_name"),
                "email": person.get("email"),
                "phone": person.get("phone"),
                "job_title": person.get("job_title"),
                "locale": person.get("locale"),
                "answers": person.get("answers", {}),
                "account_status": person.get("account_status"),
                "last_verified_at": person.get("last_verified_at"),
                "requalification_overdue_at": person.get("requalification_overdue_at"),
                "company": {
                    "name": reg.get("company_name"),
                    "country": reg.get("country"),
                    "website": reg.get("website"),
                },
                "profile": profile_view(bundle.profiles.get(person["participant_id"])),
            }
        )
    return MeOut.model_validate(
        {"user_id": principal.sub, "tenant_id": principal.tenant_id, "participations": participations}
    )


def _expiry(principal: Principal, link: dict[str, Any]) -> dict[str, Any]:
    """A profile lives as long as its participant record."""
    bundle = deps.get().registrations.bundle(principal.tenant_id, link["registration_id"])
    person = (
        next((p for p in bundle.participants if p["participant_id"] == link["participant_id"]), None)
        if bundle
        else None
    )
    return {"expires_at": person["expires_at"]} if person and "expires_at" in person else {}


def _changed(detail_type: str, principal: Principal, link: dict[str, Any], at: datetime) -> Put:
    """The outbox item announcing a change of the participant's data (ids only; the catalogue listens)."""
    pid = str(link["participant_id"])
    detail = EventDetail(
        tenant_id=principal.tenant_id,
        dedupe_id=dedupe_id(principal.tenant_id, pid, f"{detail_type}:{iso(at)}"),
        event_id=link["event_id"],
        registration_id=link["registration_id"],
        participant_ids=(pid,),
        actor_id=principal.sub,
    )
    return event_put(detail_type, detail, at)


def get_me(caller: Caller) -> MeOut:
    return _view(require(caller, SELF))


def patch_me(caller: Caller, patch: MePatch) -> MeOut:
    principal = require(caller, SELF)
    at = deps.get().clock()
    now = iso(at)
    values: dict[str, Any] = {
        k: getattr(patch, k) for k in patch.model_fields_set if getattr(patch, k) is not None
    }
    for link in _links(principal):
        # Editing is verifying: the date moves, an open re-qualification is settled, its flag cleared.
        verified, remove, settle = requalification.on_verified(
            principal.tenant_id, link["registration_id"], link["participant_id"], now
        )
        deps.get().registrations.update_participant(
            principal.tenant_id,
            link["registration_id"],
            link["participant_id"],
            {**values, **verified},
            also=[*settle, _changed("participant.updated", principal, link, at)],
            remove=remove,
        )
        refresh(principal.tenant_id, link["registration_id"])
    return _view(principal)


def put_profile(caller: Caller, body: ProfileInput) -> MeOut:
    principal = require(caller, SELF)
    links = _links(principal)
    if body.event_id is not None:
        links = [link for link in links if link["event_id"] == body.event_id]
        if not links:
            raise ValidationFailed(
                "no participation in this event",
                errors=[FieldError("event_id", "no participation in this event")],
            )
    elif len(links) > 1:
        raise ValidationFailed(
            "several participations",
            errors=[FieldError("event_id", "required: you take part in several events")],
        )
    link = links[0]
    taxonomy = deps.get().events.get_taxonomy(principal.tenant_id, link["event_id"])
    codes = taxonomy.codes() if taxonomy else set()
    errors = [
        FieldError(f"{name}[{i}]", "unknown taxonomy code")
        for name in ("needs", "offers")
        for i, code in enumerate(getattr(body, name))
        if code not in codes
    ]
    if errors:
        raise ValidationFailed("unknown taxonomy codes", errors=errors)
    at = deps.get().clock()
    now = iso(at)
    deps.get().registrations.put_profile(
        principal.tenant_id,
        link["registration_id"],
        {
            "participant_id": link["participant_id"],
            "event_id": link["event_id"],
            "needs": body.needs,
            "offers": body.offers,
            "description": {k: v for k, v in body.description.items() if v},
            "last_verified_at": now,
            "created_at": now,
            "updated_at": now,
            **_expiry(principal, link),
        },
        also=[_changed("profile.updated", principal, link, at)],
    )
    refresh(principal.tenant_id, link["registration_id"])
    return _view(principal)
