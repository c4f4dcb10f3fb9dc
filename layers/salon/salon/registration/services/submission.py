"""Public registration: a company submits its sheet and participants for an event."""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from datetime import datetime
from typing import Any

from salon.kernel.caller import Caller
from salon.kernel.errors import (
    FieldError,
    NotFound,
    RegistrationClosed,
    ValidationFailed,
)
from salon.kernel.idempotency import idempotent
from salon.kernel.registry import expires_at
from salon.kernel.usernames import max_email_length
from salon.kernel.values import iso
from salon.registration import deps
from salon.registration.adapters.submissions_repo import (
    ErasedParticipants,
    RegistrationExists,
    SubmissionsRepository,
    submitted_event,
)
from salon.registration.domain.commands import SubmitRegistration
from salon.registration.domain.events import Event
from salon.registration.domain.forms import Form, check_answers
from salon.registration.domain.registrations import RegistrationCreate, completeness, search_text
from salon.registration.responses import RegistrationCreated
from salon.registration.services import consent
from salon.registration.services.configuration import public_event

logger = logging.getLogger(__name__)

_NAMESPACE = uuid.UUID("0b7e3a9c-55d1-4c3e-9f0e-6a1f2d8c4b10")


def _ids(
    tenant_id: str, event_id: str, key: str | None, body: RegistrationCreate, count: int
) -> tuple[str, list[str]]:
    """Deterministic ids for a keyed request (a retry resumes the same registration), random otherwise."""
    if key is None:
        return f"reg_{uuid.uuid4().hex}", [f"par_{uuid.uuid4().hex}" for _ in range(count)]
    digest = hashlib.sha256(json.dumps(body.model_dump(mode="json"), sort_keys=True).encode()).hexdigest()
    seed = f"{tenant_id}:{event_id}:{key}:{digest}"
    rid = uuid.uuid5(_NAMESPACE, seed).hex
    return f"reg_{rid}", [f"par_{uuid.uuid5(_NAMESPACE, f'{seed}:{i}').hex}" for i in range(count)]


def _answers(
    tenant_id: str, event_id: str, body: RegistrationCreate
) -> tuple[Form, dict[str, Any], list[dict[str, Any]]]:
    """Check the type and every answer against the event's form and taxonomy (all errors at once)."""
    configuration = deps.get().events.configuration(tenant_id, event_id)
    types = {t.code: t for t in configuration.types}
    errors: list[FieldError] = []
    if body.type not in types or not types[body.type].open_for_registration:
        errors.append(FieldError("type", "not a participation type open for registration"))
    form, taxonomy = configuration.form, configuration.taxonomy
    codes = taxonomy.codes() if taxonomy else set()
    company_answers, errs = check_answers(
        form.at("company"), body.company.answers, context={}, taxonomy=codes, path="company.answers"
    )
    errors += errs
    participant_answers: list[dict[str, Any]] = []
    longest = max_email_length(tenant_id)
    for i, participant in enumerate(body.participants):
        if len(participant.email) > longest:
            errors.append(
                FieldError(
                    f"participants[{i}].email", f"too long to open a login: at most {longest} characters"
                )
            )
        answers, errs = check_answers(
            form.at("participant"),
            participant.answers,
            context=company_answers,
            taxonomy=codes,
            path=f"participants[{i}].answers",
        )
        errors += errs
        participant_answers.append(answers)
    if errors:
        raise ValidationFailed(f"{len(errors)} field(s) are invalid", errors=errors)
    return form, company_answers, participant_answers


def _records(
    event: Event,
    body: RegistrationCreate,
    form: Form,
    rid: str,
    pids: list[str],
    company_answers: dict[str, Any],
    participant_answers: list[dict[str, Any]],
    now: datetime,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The registration sheet and its participants as stored (personal data per the registry)."""
    event_id = event.event_id
    stamp = iso(now)
    participants = [
        {
            "participant_id": pid,
            "registration_id": rid,
            "event_id": event_id,
            "position": i,
            "first_name": p.first_name,
            "last_name": p.last_name,
            "email": p.email,
            "phone": p.phone,
            "job_title": p.job_title,
            "locale": p.locale or body.locale,
            "answers": participant_answers[i],
            "account_status": "none",
            "last_verified_at": stamp,
            "created_at": stamp,
            "updated_at": stamp,
            "expires_at": expires_at("participant", event.ends_at),
        }
        for i, (pid, p) in enumerate(zip(pids, body.participants, strict=True))
    ]
    participants = [{k: v for k, v in p.items() if v is not None} for p in participants]
    company = {
        "name": body.company.name,
        "country": body.company.country,
        "website": body.company.website,
        "answers": company_answers,
    }
    registration = {
        "registration_id": rid,
        "event_id": event_id,
        "type": body.type,
        "state": "submitted",
        "locale": body.locale,
        "company_name": body.company.name,
        "country": body.company.country,
        "website": body.company.website,
        "answers": company_answers,
        "participant_ids": pids,
        "completeness": completeness(form.fields, company, participants, {}),
        "company_verified_at": stamp,
        "expires_at": expires_at("registration", event.ends_at),
        "created_at": stamp,
        "updated_at": stamp,
        "version": 1,
    }
    registration = {k: v for k, v in registration.items() if v is not None}
    registration["search_text"] = search_text(registration, participants)
    return registration, participants


@idempotent
def submit(caller: Caller, command: SubmitRegistration) -> RegistrationCreated:
    """Public registration, stored in one transaction with its `registration.submitted` event. No login
    is opened here (validation does it), and the answer is the same whoever the e-mails belong to (see
    DATA_MODEL.md, "Cognito accounts")."""
    event_id = command.event_id
    event = public_event(event_id, published_only=True)
    tenant_id = event.tenant_id
    d = deps.get()
    now = d.clock()
    if not event.registration_open(now):
        raise RegistrationClosed("registration is not open for this event")
    body = command.registration
    form, company_answers, participant_answers = _answers(tenant_id, event_id, body)
    rid, pids = _ids(tenant_id, event_id, caller.idempotency_key, body, len(body.participants))
    registration, participants = _records(
        event, body, form, rid, pids, company_answers, participant_answers, now
    )
    try:
        SubmissionsRepository(d.platform.table).create(
            tenant_id, registration, participants, also=[submitted_event(tenant_id, registration, now)]
        )
        logger.info(
            "registration stored",
            extra={"registration_id": rid, "event_id": event_id, "tenant_id": tenant_id},
        )
    except RegistrationExists:
        logger.info("resuming a stored registration", extra={"registration_id": rid, "tenant_id": tenant_id})
    except ErasedParticipants as erased:
        consent.hold(tenant_id, registration, participants, erased.positions, now)
        return _created(registration, participants)
    bundle = d.registrations.bundle(tenant_id, rid)
    if bundle is None:  # pragma: no cover - written just above
        raise NotFound("registration vanished")
    return _created(bundle.registration, bundle.participants)


def _created(registration: dict[str, Any], participants: list[dict[str, Any]]) -> RegistrationCreated:
    """The public answer, from the registration as stored or as held: the same either way."""
    return RegistrationCreated.model_validate(
        {
            "registration_id": registration["registration_id"],
            "event_id": registration["event_id"],
            "state": registration["state"],
            "type": registration["type"],
            "completeness": registration["completeness"],
            "created_at": registration["created_at"],
            "participants": [{"participant_id": p["participant_id"]} for p in participants],
        }
    )
