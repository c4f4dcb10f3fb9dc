"""An erased person's fresh consent (``salon.registration.domain.consent``): holding a registration
that names them, the link their e-mail carries, and ``POST /consents/{token}`` releasing it."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import Any

from salon.kernel import audit
from salon.kernel.audit_record import AuditRecord
from salon.kernel.caller import Caller
from salon.kernel.domain_events import EventDetail
from salon.kernel.errors import Conflict, NotFound
from salon.kernel.outbox import dedupe_id, event_put
from salon.kernel.person_key import person_key, signing_key
from salon.kernel.registry import expires_at
from salon.kernel.settings import get_settings
from salon.kernel.values import iso
from salon.registration import deps
from salon.registration.adapters.consents_repo import ConsentsRepository
from salon.registration.adapters.submissions_repo import (
    ErasedParticipants,
    RegistrationExists,
    submitted_event,
)
from salon.registration.domain import consent
from salon.registration.responses import ConsentConfirmed

logger = logging.getLogger(__name__)


def _repository() -> ConsentsRepository:
    return ConsentsRepository(deps.get().platform.table)


def hold(
    tenant_id: str,
    registration: dict[str, Any],
    participants: list[dict[str, Any]],
    erased: list[int],
    now: datetime,
) -> None:
    """Hold the registration until the erased participants (positions) consent afresh: nothing of it
    in the organiser's list, one request and one e-mail (its event) per erased participant."""
    rid, eid = registration["registration_id"], registration["event_id"]
    waiting = [str(participants[i]["participant_id"]) for i in erased]
    stamp, due, expiry = iso(now), iso(consent.due_at(now)), expires_at("held_registration", now)
    key = signing_key(consent.TOKEN_PURPOSE, tenant_id)
    held = {
        "tenant_id": tenant_id,
        "registration_id": rid,
        "event_id": eid,
        "held_sheet": registration,
        "held_participants": participants,
        "awaiting": waiting,
        "consent_for": waiting,
        "due_at": due,
        "version": 1,
        "created_at": stamp,
        "expires_at": expiry,
    }
    requests = [
        {
            "tenant_id": tenant_id,
            "registration_id": rid,
            "participant_id": pid,
            "event_id": eid,
            "token_hash": consent.token_hash(consent.link_token(key, tenant_id, rid, pid)),
            "due_at": due,
            "created_at": stamp,
            "expires_at": expiry,
        }
        for pid in waiting
    ]
    events = [
        event_put(
            consent.REQUESTED,
            EventDetail(
                tenant_id=tenant_id,
                dedupe_id=dedupe_id(tenant_id, rid, f"consent_requested:{pid}"),
                event_id=eid,
                registration_id=rid,
                participant_ids=(pid,),
            ),
            now,
        )
        for pid in waiting
    ]
    others = tuple(str(p["participant_id"]) for p in participants if p["participant_id"] not in waiting)
    if others:
        detail = EventDetail(
            tenant_id=tenant_id,
            dedupe_id=dedupe_id(tenant_id, rid, "held"),
            event_id=eid,
            registration_id=rid,
            participant_ids=others,
        )
        events.append(event_put(consent.HELD, detail, now))
    stored = _repository().hold(held, requests, events)
    logger.info(
        "registration held for a fresh consent" if stored else "resuming a held registration",
        extra={"registration_id": rid, "event_id": eid, "tenant_id": tenant_id, "awaiting": len(waiting)},
    )


def consent_link(
    tenant_id: str, registration_id: str, participant_id: str
) -> tuple[str, str, dict[str, Any], dict[str, Any]] | None:
    """The consent e-mail's link, its due date, the erased participant and the held sheet; None when
    nothing awaits their consent any more (confirmed before the e-mail went, or expired)."""
    repository = _repository()
    held = repository.held(tenant_id, registration_id)
    if held is None or participant_id not in held["awaiting"]:
        return None
    person = next(p for p in held["held_participants"] if p["participant_id"] == participant_id)
    token = consent.link_token(
        signing_key(consent.TOKEN_PURPOSE, tenant_id), tenant_id, registration_id, participant_id
    )
    url = f"{get_settings().app_url.rstrip('/')}/consents/{token}"
    return url, str(held["due_at"]), person, held["held_sheet"]


def held_people(
    tenant_id: str, registration_id: str, participant_ids: tuple[str, ...]
) -> tuple[list[dict[str, Any]], dict[str, Any]] | None:
    """Participants of a sheet still held, and the sheet; None once it is stored (or expired)."""
    held = _repository().held(tenant_id, registration_id)
    if held is None:
        return None
    people = [p for p in held["held_participants"] if p["participant_id"] in participant_ids]
    return people, held["held_sheet"]


def _lifting(caller: Caller, tenant_id: str, held: dict[str, Any], actor: str, now: datetime) -> AuditRecord:
    """The audit record of the tombstones' lifting: when, which registration, which participants
    (ids only: no e-mail, no person key)."""
    return AuditRecord(
        audit_id=f"aud_{uuid.uuid4().hex}",
        at=now,
        tenant_id=tenant_id,
        actor_id=actor,
        actor_role="data_subject",
        action="tombstone.lift",
        subject_ids=[str(held["registration_id"]), *(str(p) for p in held["consent_for"])],
        item_types=["person_tombstone"],
        fields=[],
        purpose="erased people consented afresh to this registration through the e-mail's link",
        request_id=caller.request_id,
        count=len(held["consent_for"]),
    )


def confirm(caller: Caller, token: str) -> ConsentConfirmed:
    """The e-mail's link gives the person's fresh consent, until its due date (404 after it, or for a
    link that is not Salon's). The last consent of a held sheet lifts its tombstones, records the
    consents and stores the registration as submitted, in one transaction. Confirming again is fine."""
    repository = _repository()
    request = repository.by_token_hash(consent.token_hash(token))
    now = deps.get().clock()
    if request is None or not consent.link_is_valid(request, now):
        raise NotFound("no such consent link, or it has expired")
    tenant_id, rid, pid = (
        str(request["tenant_id"]),
        str(request["registration_id"]),
        str(request["participant_id"]),
    )
    held = repository.held(tenant_id, rid)
    if request["status"] == consent.CONFIRMED:
        return ConsentConfirmed(registration_id=rid, state=consent.AWAITING if held else consent.SUBMITTED)
    if held is None:  # erased at the person's request meanwhile (or expired)
        raise NotFound("no such consent link, or it has expired")
    at = iso(now)
    awaiting = consent.still_awaiting(held, pid)
    if awaiting:
        repository.record_consent(request, held, awaiting, at)
        return ConsentConfirmed(registration_id=rid, state=consent.AWAITING)
    consents = {**held.get("consents", {}), pid: at}
    participants = consent.consented(held["held_participants"], consents)
    lifted = [person_key(tenant_id, str(p["email"])) for p in participants if p["participant_id"] in consents]
    registration = dict(held["held_sheet"])
    try:
        repository.release(
            request,
            held,
            participants,
            lifted,
            [
                submitted_event(tenant_id, registration, now),
                *audit.puts(_lifting(caller, tenant_id, held, pid, now)),
            ],
            at,
        )
    except (ErasedParticipants, RegistrationExists) as exc:
        raise Conflict(
            "the registration could not be stored: one of its people was erased meanwhile"
        ) from exc
    logger.info(
        "registration released by a fresh consent", extra={"registration_id": rid, "tenant_id": tenant_id}
    )
    return ConsentConfirmed(registration_id=rid, state=consent.SUBMITTED)
