"""Registration use cases: submit, list, read, decide, deactivate a participant's account."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime
from typing import Any

from aws_lambda_powertools import Logger

from salon.adapters.identity import IdentityError
from salon.adapters.registrations_repo import Bundle, RegistrationExists
from salon.domain.common import Page, fold, iso
from salon.domain.events import Event
from salon.domain.forms import Form, check_answers
from salon.domain.principal import ADMINISTER_ACCOUNTS, REVIEW
from salon.domain.registrations import DecisionInput, RegistrationCreate, completeness, next_state
from salon.errors import (
    DependencyUnavailable,
    FieldError,
    NotFound,
    RegistrationClosed,
    ValidationFailed,
)
from salon.privacy.registry import expires_at
from salon.services import audit, deps
from salon.services.access import require
from salon.services.accounts import provision_accounts, publish
from salon.services.completion import search_text
from salon.services.context import Caller
from salon.services.events import public_event
from salon.services.views import render_detail, summary

logger = Logger(child=True)

_NAMESPACE = uuid.UUID("0b7e3a9c-55d1-4c3e-9f0e-6a1f2d8c4b10")
LIST_FIELDS = ("company_name", "first_name", "last_name", "email")
DETAIL_FIELDS = (
    "company_name",
    "country",
    "website",
    "answers",
    "first_name",
    "last_name",
    "email",
    "phone",
    "job_title",
    "locale",
    "needs",
    "offers",
    "description",
)


def _ids(
    tenant_id: str, event_id: str, key: str | None, body: dict[str, Any], count: int
) -> tuple[str, list[str]]:
    """Deterministic ids for a keyed request (a retry resumes the same registration), random otherwise."""
    if key is None:
        return f"reg_{uuid.uuid4().hex}", [f"par_{uuid.uuid4().hex}" for _ in range(count)]
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
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
    for i, participant in enumerate(body.participants):
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
            "account_status": "pending",
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


def submit(payload: dict[str, Any]) -> dict[str, Any]:
    """Public registration. Stored in one transaction, then accounts are created (see DATA_MODEL.md)."""
    event_id = payload["params"]["event_id"]
    key = payload["params"].get("idempotency_key")
    event = public_event(event_id, published_only=True)
    tenant_id = event.tenant_id
    d = deps.get()
    now = d.clock()
    if not event.registration_open(now):
        raise RegistrationClosed("registration is not open for this event")
    body = RegistrationCreate.model_validate(payload["body"])
    form, company_answers, participant_answers = _answers(tenant_id, event_id, body)
    rid, pids = _ids(tenant_id, event_id, key, payload["body"], len(body.participants))
    registration, participants = _records(
        event, body, form, rid, pids, company_answers, participant_answers, now
    )
    try:
        d.registrations.create(tenant_id, registration, participants)
        logger.info(
            "registration stored",
            extra={"registration_id": rid, "event_id": event_id, "tenant_id": tenant_id},
        )
    except RegistrationExists:
        logger.info("resuming a stored registration", extra={"registration_id": rid, "tenant_id": tenant_id})
    bundle = d.registrations.bundle(tenant_id, rid)
    if bundle is None:  # pragma: no cover - written just above
        raise NotFound("registration vanished")
    failed = provision_accounts(tenant_id, bundle)
    if failed:
        raise DependencyUnavailable(
            "the registration is stored but participant accounts could not all be created; "
            "retry with the same Idempotency-Key to finish"
        )
    publish("registration.submitted", tenant_id, bundle)
    return {
        "registration_id": rid,
        "event_id": event_id,
        "state": bundle.registration["state"],
        "type": bundle.registration["type"],
        "completeness": bundle.registration["completeness"],
        "created_at": bundle.registration["created_at"],
        "participants": [
            {"participant_id": p["participant_id"], "account_status": p["account_status"]}
            for p in bundle.participants
        ],
    }


def _load(tenant_id: str, registration_id: str) -> Bundle:
    bundle = deps.get().registrations.bundle(tenant_id, registration_id)
    if bundle is None:
        raise NotFound("no such registration")
    return bundle


def _subjects(bundle: Bundle) -> list[str]:
    return [bundle.registration["registration_id"], *(p["participant_id"] for p in bundle.participants)]


def get_registration(caller: Caller, registration_id: str) -> dict[str, Any]:
    principal = require(caller, REVIEW)
    bundle = _load(principal.tenant_id, registration_id)
    audit.record(
        caller,
        role=principal.acting_role(REVIEW),
        action="registration.read",
        subjects=_subjects(bundle),
        item_types=["registration", "participant", "profile"],
        fields=DETAIL_FIELDS,
        purpose="registration-review",
    )
    return render_detail(principal.tenant_id, bundle)


def list_registrations(
    caller: Caller, event_id: str, *, state: str | None, type_: str | None, q: str | None, page: Page
) -> dict[str, Any]:
    principal = require(caller, REVIEW)
    if deps.get().events.get_event(principal.tenant_id, event_id) is None:
        raise NotFound("no such event")
    repo = deps.get().registrations
    regs, cursor = repo.list_for_event(
        principal.tenant_id,
        event_id,
        state=state,
        type_=type_,
        text=fold(q) if q else None,
        limit=page.limit,
        cursor=page.cursor,
    )
    people = repo.participants_of(principal.tenant_id, regs)
    items = [
        {
            "registration_id": r["registration_id"],
            "event_id": r["event_id"],
            "type": r["type"],
            "state": r["state"],
            "company_name": r.get("company_name"),
            "completeness": r.get("completeness", 0),
            "created_at": r["created_at"],
            "updated_at": r.get("updated_at"),
            "participants": [
                {
                    k: p.get(k)
                    for k in ("participant_id", "first_name", "last_name", "email", "account_status")
                }
                for p in people.get(r["registration_id"], [])
            ],
        }
        for r in regs
    ]
    if items:
        audit.record(
            caller,
            role=principal.acting_role(REVIEW),
            action="registration.list",
            subjects=[
                s
                for item in items
                for s in (item["registration_id"], *(p["participant_id"] for p in item["participants"]))
            ],
            item_types=["registration", "participant"],
            fields=LIST_FIELDS,
            purpose="registration-review",
            count=len(items),
        )
    return {"items": items, "next_cursor": cursor}


def decide(payload: dict[str, Any]) -> dict[str, Any]:
    caller = Caller.from_payload(payload)
    principal = require(caller, REVIEW)
    body = DecisionInput.model_validate(payload["body"])
    tenant_id = principal.tenant_id
    bundle = _load(tenant_id, payload["params"]["registration_id"])
    current = bundle.registration["state"]
    target = next_state(current, body.decision)
    now = iso(deps.get().clock())
    values: dict[str, Any] = {
        "state": target,
        "decided_at": now,
        "decided_by": principal.sub,
        "updated_at": now,
    }
    if body.reason:
        values["decision_reason"] = body.reason
    rid = bundle.registration["registration_id"]
    deps.get().registrations.decide(tenant_id, rid, current, values)
    audit.record(
        caller,
        role=principal.acting_role(REVIEW),
        action="registration.decide",
        subjects=_subjects(bundle),
        item_types=["registration"],
        fields=["state", "decision_reason"],
        purpose=f"registration-{body.decision}",
    )
    bundle = _load(tenant_id, rid)
    if target == "validated" and provision_accounts(tenant_id, bundle):
        logger.warning("some accounts are still pending after validation", extra={"registration_id": rid})
    publish(f"registration.{target}", tenant_id, bundle, actor=principal.sub)
    return summary(bundle)


def deactivate(payload: dict[str, Any]) -> dict[str, Any]:
    caller = Caller.from_payload(payload)
    principal = require(caller, ADMINISTER_ACCOUNTS)
    params = payload["params"]
    bundle = _load(principal.tenant_id, params["registration_id"])
    participant = next(
        (p for p in bundle.participants if p["participant_id"] == params["participant_id"]), None
    )
    if participant is None:
        raise NotFound("no such participant in this registration")
    if participant.get("cognito_username") and participant.get("account_status") != "conflict":
        try:
            deps.get().identity.disable(participant["cognito_username"])
        except IdentityError as exc:
            raise DependencyUnavailable("the account could not be disabled; retry") from exc
    rid, pid = params["registration_id"], params["participant_id"]
    deps.get().registrations.update_participant(
        principal.tenant_id,
        rid,
        pid,
        {"account_status": "deactivated", "updated_at": iso(deps.get().clock())},
    )
    audit.record(
        caller,
        role=principal.acting_role(ADMINISTER_ACCOUNTS),
        action="participant.deactivate",
        subjects=[rid, pid],
        item_types=["participant"],
        fields=["account_status"],
        purpose="account-administration",
    )
    return {"registration_id": rid, "participant_id": pid, "account_status": "deactivated"}
