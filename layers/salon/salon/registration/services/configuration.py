"""Event configuration: events, forms, participation types, taxonomy."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from salon.kernel import outbox
from salon.kernel.caller import Caller, require
from salon.kernel.domain_events import EventDetail
from salon.kernel.dynamo import Put
from salon.kernel.errors import NotFound, ValidationFailed
from salon.kernel.idempotency import idempotent
from salon.kernel.principal import CONFIGURE, READ_CONFIG, Principal
from salon.kernel.validation import invalid
from salon.kernel.values import Page
from salon.registration import deps
from salon.registration.domain.commands import NewParticipationType
from salon.registration.domain.events import (
    EVENT_CHANGED,
    Event,
    EventCreate,
    EventPatch,
    apply_patch,
    dates_changed,
    key_date_errors,
)
from salon.registration.domain.forms import Form, FormInput, form_errors
from salon.registration.domain.participation_types import ParticipationType
from salon.registration.domain.taxonomy import Taxonomy, TaxonomyInput, taxonomy_errors
from salon.registration.responses import EventOut, EventPage, FormOut, TaxonomyOut, TypePage


def _utc(model: EventCreate) -> EventCreate:
    data = model.model_dump()
    for name in ("starts_at", "ends_at"):
        data[name] = data[name].astimezone(UTC)
    data["key_dates"] = {k: (v.astimezone(UTC) if v else None) for k, v in data["key_dates"].items()}
    return EventCreate.model_validate(data)


def render(event: Event) -> dict[str, Any]:
    data = event.model_dump(mode="json")
    data["registration_open"] = event.registration_open(deps.get().clock())
    return data


def load(principal: Principal, event_id: str) -> Event:
    event = deps.get().events.get_event(principal.tenant_id, event_id)
    if event is None:
        raise NotFound("no such event")
    return event


@idempotent
def create_event(caller: Caller, command: EventCreate) -> EventOut:
    principal = require(caller, CONFIGURE)
    body = _utc(command)
    errors = key_date_errors(body.starts_at, body.ends_at, body.key_dates)
    if errors:
        raise ValidationFailed("the key dates are not in order", errors=errors)
    now = deps.get().clock()
    event = Event(
        event_id=f"evt_{uuid.uuid4().hex}",
        tenant_id=principal.tenant_id,
        created_at=now,
        updated_at=now,
        version=1,
        **body.model_dump(),
    )
    deps.get().events.create_event(event)
    return EventOut.model_validate(render(event))


def list_events(caller: Caller, page: Page) -> EventPage:
    principal = require(caller, READ_CONFIG)
    events, cursor = deps.get().events.list_events(principal.tenant_id, page.limit, page.cursor)
    return EventPage.model_validate({"items": [render(e) for e in events], "next_cursor": cursor})


def get_event(caller: Caller, event_id: str) -> EventOut:
    principal = require(caller, READ_CONFIG)
    return EventOut.model_validate(render(load(principal, event_id)))


def patch_event(caller: Caller, event_id: str, patch: EventPatch) -> EventOut:
    principal = require(caller, CONFIGURE)
    event = load(principal, event_id)
    now = deps.get().clock()
    try:
        merged, errors = apply_patch(event, patch, now)
    except ValidationError as exc:
        raise invalid(exc) from exc
    if errors:
        raise ValidationFailed("the event is not valid", errors=errors)
    merged = _utc(merged)
    updated = Event(
        event_id=event.event_id,
        tenant_id=event.tenant_id,
        created_at=event.created_at,
        updated_at=now,
        version=event.version + 1,
        **merged.model_dump(),
    )
    also = [_changed(updated, now)] if dates_changed(event, updated) else []
    deps.get().events.save_event(updated, expected_version=event.version, also=also)
    return EventOut.model_validate(render(updated))


def _changed(event: Event, at: datetime) -> Put:
    """The outbox item announcing that the event moved in time (its reminders are planned again)."""
    detail = EventDetail(
        tenant_id=event.tenant_id,
        dedupe_id=outbox.dedupe_id(event.tenant_id, event.event_id, f"v{event.version}:changed"),
        event_id=event.event_id,
        version=event.version,
    )
    return outbox.event_put(EVENT_CHANGED, detail, at)


def put_form(caller: Caller, event_id: str, body: FormInput) -> FormOut:
    principal = require(caller, CONFIGURE)
    load(principal, event_id)
    errors = form_errors(body.fields)
    if errors:
        raise ValidationFailed("the form is not valid", errors=errors)
    base = body.version
    if base is None:
        base = deps.get().events.get_form(principal.tenant_id, event_id).version
    form = Form(event_id=event_id, fields=body.fields, version=base + 1, updated_at=deps.get().clock())
    deps.get().events.put_form(principal.tenant_id, form)
    return FormOut.model_validate(form.model_dump(mode="json", by_alias=True))


def public_event(event_id: str, *, published_only: bool) -> Event:
    """An event reached without a token (public routes carry no claims): the tenant comes from it.

    Drafts are readable through the form/taxonomy routes (the organiser's preview: configuration
    only, no personal data, 128-bit ids) but take no registration.
    """
    event = deps.get().events.locate_event(event_id)
    if event is None or (published_only and event.status == "draft"):
        raise NotFound("no such event")
    return event


def get_form(caller: Caller, event_id: str) -> FormOut:
    event = public_event(event_id, published_only=False)
    form = deps.get().events.get_form(event.tenant_id, event_id)
    types = deps.get().events.list_types(event.tenant_id, event_id)
    data = form.model_dump(mode="json", by_alias=True)
    data["types"] = [
        {"code": t.code, "labels": t.labels.model_dump()}
        for t in sorted(types, key=lambda t: t.code)
        if t.open_for_registration
    ]
    return FormOut.model_validate(data)


@idempotent
def create_type(caller: Caller, command: NewParticipationType) -> ParticipationType:
    principal = require(caller, CONFIGURE)
    event_id = command.event_id
    load(principal, event_id)
    ptype = ParticipationType(event_id=event_id, created_at=deps.get().clock(), **command.type.model_dump())
    deps.get().events.create_type(principal.tenant_id, ptype)
    return ptype


def list_types(caller: Caller, event_id: str) -> TypePage:
    principal = require(caller, READ_CONFIG)
    load(principal, event_id)
    types = deps.get().events.list_types(principal.tenant_id, event_id)
    return TypePage.model_validate(
        {"items": [t.model_dump(mode="json") for t in sorted(types, key=lambda t: t.code)]}
    )


def put_taxonomy(caller: Caller, event_id: str, body: TaxonomyInput) -> TaxonomyOut:
    principal = require(caller, CONFIGURE)
    load(principal, event_id)
    errors = taxonomy_errors(body.nodes)
    if errors:
        raise ValidationFailed("the taxonomy is not valid", errors=errors)
    base = body.version
    if base is None:
        previous = deps.get().events.get_taxonomy(principal.tenant_id, event_id)
        base = previous.version if previous else 0
    taxonomy = Taxonomy(event_id=event_id, nodes=body.nodes, version=base + 1, updated_at=deps.get().clock())
    deps.get().events.put_taxonomy(principal.tenant_id, taxonomy)
    return TaxonomyOut.model_validate(taxonomy.model_dump(mode="json"))


def get_taxonomy(caller: Caller, event_id: str) -> TaxonomyOut:
    event = public_event(event_id, published_only=False)
    taxonomy = deps.get().events.get_taxonomy(event.tenant_id, event_id)
    if taxonomy is None:
        return TaxonomyOut(event_id=event_id, nodes=[], version=0, updated_at=None)
    return TaxonomyOut.model_validate(taxonomy.model_dump(mode="json"))
