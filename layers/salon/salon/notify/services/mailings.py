"""Organiser mailings: create (templates and audience checked: 422 before anything is sent), preview
for one recipient, send (202: recipients queued to the notify consumer, resumable: sending again
continues where it stopped), progress; the public one-click unsubscribe."""

from __future__ import annotations

import logging
import uuid
from dataclasses import replace
from typing import Any

from pydantic import BaseModel, Field

from salon.kernel.caller import Caller, require
from salon.kernel.errors import FieldError, NotFound, ValidationFailed
from salon.kernel.person_key import person_key, signing_key
from salon.kernel.principal import CONFIGURE, READ_CONFIG
from salon.kernel.settings import get_settings
from salon.kernel.values import StrictModel
from salon.notify import deps
from salon.notify.adapters.deliveries import SCOPE_MARKETING
from salon.notify.adapters.email_sender import Envelope, mailer
from salon.notify.adapters.mailing_queue import recipient_queue
from salon.notify.adapters.mailings import COUNTERS
from salon.notify.domain import unsubscribe
from salon.notify.domain.mailings import MailingInput, RenderFailed, has_meeting, template_errors
from salon.notify.domain.messages import Recipient
from salon.notify.services.mailing_render import render_for
from salon.registration.domain.events import Event

logger = logging.getLogger(__name__)
QUEUE_CHUNK = 500  # recipients queued per step of a send (each step moves the resume point)


class MailingCreated(BaseModel):
    mailing_id: str
    audience: int


class Progress(BaseModel):
    mailing_id: str
    event_id: str
    status: str  # draft | sending | sent
    recipients: int
    queued: int
    sent: int
    delivered: int
    bounced: int
    complained: int
    suppressed: int


class PreviewInput(StrictModel):
    participant_id: str | None = Field(default=None, min_length=1, max_length=64)


class Preview(BaseModel):
    participant_id: str
    subject: str
    text: str
    html: str


class Unsubscribed(BaseModel):
    unsubscribed: bool


def _event(tenant_id: str, event_id: str) -> Event:
    event = deps.get().events.get_event(tenant_id, event_id)
    if event is None:
        raise NotFound("no such event")
    return event


def _audience(tenant_id: str, event_id: str, mailing: dict[str, Any]) -> list[Recipient]:
    audience = mailing["audience"]
    d = deps.get()
    states, types = list(audience["states"]), list(audience["types"])
    recipients = d.people.audience(tenant_id, event_id, states, types, audience.get("completeness"))
    if audience.get("without_meeting"):
        agendas = d.agendas.agendas(tenant_id, event_id)
        recipients = [r for r in recipients if not has_meeting(agendas.get(r.participant_id))]
    return recipients


def create(caller: Caller, event_id: str, body: MailingInput) -> MailingCreated:
    principal = require(caller, CONFIGURE)
    t = principal.tenant_id
    event = _event(t, event_id)
    errors = template_errors(body)
    if errors:
        raise ValidationFailed("the mailing's texts are not valid templates", errors=errors)
    mailing = {"mailing_id": f"ml_{uuid.uuid4().hex}", "event_id": event_id, **body.model_dump()}
    recipients = _audience(t, event_id, mailing)
    if not recipients:
        raise ValidationFailed(
            "nobody matches the audience", errors=[FieldError("audience", "empty audience")]
        )
    d = deps.get()
    d.mailings.create(t, {**mailing, "created_by": principal.sub}, event.ends_at, d.clock())
    logger.info("mailing created", extra={"mailing_id": mailing["mailing_id"], "audience": len(recipients)})
    return MailingCreated(mailing_id=mailing["mailing_id"], audience=len(recipients))


def _mailing(tenant_id: str, mailing_id: str) -> dict[str, Any]:
    mailing = deps.get().mailings.get(tenant_id, mailing_id)
    if mailing is None:
        raise NotFound("no such mailing")
    return mailing


def preview(caller: Caller, mailing_id: str, body: PreviewInput) -> Preview:
    principal = require(caller, CONFIGURE)
    t = principal.tenant_id
    mailing = _mailing(t, mailing_id)
    event = _event(t, mailing["event_id"])
    recipients = _audience(t, mailing["event_id"], mailing)
    chosen = [r for r in recipients if body.participant_id in (None, r.participant_id)]
    if not chosen:
        raise ValidationFailed(
            "not in the audience", errors=[FieldError("participant_id", "not in the audience")]
        )
    try:
        rendered = render_for(t, mailing, chosen[0], event)
    except RenderFailed as exc:
        raise ValidationFailed(
            "the mailing cannot be rendered", errors=[FieldError("body", str(exc))]
        ) from exc
    return Preview(
        participant_id=chosen[0].participant_id,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
    )


class TestSent(BaseModel):
    participant_id: str  # whose view of the mailing was sent
    sent_to: str  # "organizer": the caller's own address


def test_send(caller: Caller, mailing_id: str, body: PreviewInput) -> TestSent:
    """The mailing as one recipient would read it, sent to the calling organiser's own address only."""
    principal = require(caller, CONFIGURE)
    if not principal.email:
        raise ValidationFailed("your login has no e-mail address", errors=[FieldError("email", "missing")])
    t = principal.tenant_id
    mailing = _mailing(t, mailing_id)
    event = _event(t, mailing["event_id"])
    chosen = [
        r
        for r in _audience(t, mailing["event_id"], mailing)
        if body.participant_id in (None, r.participant_id)
    ]
    if not chosen:
        raise ValidationFailed(
            "not in the audience", errors=[FieldError("participant_id", "not in the audience")]
        )
    rendered = render_for(t, mailing, chosen[0], event)
    envelope = Envelope(
        sender=get_settings().notify_sender,
        sender_name=event.branding.sender_name or (getattr(event.name, chosen[0].locale) or ""),
        to=principal.email,
        kind="mailing_test",
        reply_to=event.branding.reply_to,
    )
    tags = {"tenant_id": t, "mailing_id": mailing_id}
    mailer.get().send(envelope, replace(rendered, subject=f"[TEST] {rendered.subject}"), tags)
    logger.info(
        "mailing test sent", extra={"mailing_id": mailing_id, "participant_id": chosen[0].participant_id}
    )
    return TestSent(participant_id=chosen[0].participant_id, sent_to="organizer")


def send(caller: Caller, mailing_id: str) -> Progress:
    """Queue every recipient not queued yet (a send that stopped half-way resumes from its count)."""
    principal = require(caller, CONFIGURE)
    t = principal.tenant_id
    d = deps.get()
    mailing = _mailing(t, mailing_id)
    recipients = _audience(t, mailing["event_id"], mailing) if mailing["status"] == "draft" else None
    if recipients is not None:
        if not recipients:
            raise ValidationFailed(
                "nobody matches the audience", errors=[FieldError("audience", "empty audience")]
            )
        d.mailings.started(t, mailing_id, len(recipients), d.clock())
        mailing = _mailing(t, mailing_id)
    audience = recipients or _audience(t, mailing["event_id"], mailing)
    total = int(mailing["recipients"])
    # The audience as it was when the send started (by id): later arrivals wait.
    ids = [(r.participant_id, r.registration_id) for r in audience][:total]
    for start in range(int(mailing["queued"]), total, QUEUE_CHUNK):
        chunk = ids[start : start + QUEUE_CHUNK]
        recipient_queue.get().enqueue(t, mailing["event_id"], mailing_id, chunk, d.clock())
        d.mailings.queued(t, mailing_id, start + len(chunk), total)
    logger.info("mailing queued", extra={"mailing_id": mailing_id, "recipients": total})
    return progress_of(_mailing(t, mailing_id))


def progress_of(mailing: dict[str, Any]) -> Progress:
    return Progress(
        mailing_id=mailing["mailing_id"],
        event_id=mailing["event_id"],
        status=mailing["status"],
        recipients=int(mailing.get("recipients", 0)),
        **{c: int(mailing.get(c, 0)) for c in COUNTERS},
    )


def progress(caller: Caller, mailing_id: str) -> Progress:
    principal = require(caller, READ_CONFIG)
    return progress_of(_mailing(principal.tenant_id, mailing_id))


def unsubscribe_with(token: str) -> Unsubscribed:
    """The public one-click unsubscribe: mailings stop; messages about one's own meetings go on."""
    d = deps.get()
    try:
        entry = d.log.by_key(unsubscribe.message_key_of(token))
        if entry is None or not entry.get("mailing_id"):
            raise unsubscribe.BadToken("no such mailing message")
        tenant_id = str(entry["tenant_id"])
        unsubscribe.verify(token, signing_key("unsubscribe", tenant_id))
    except unsubscribe.BadToken as exc:
        raise NotFound("no such unsubscribe link") from exc
    pid = str(entry["participant_id"])
    rid = d.people.registration_of(tenant_id, pid)
    _, people, _ = d.people.company(tenant_id, rid, (pid,)) if rid else ("", [], None)
    for person in people:
        key = person_key(tenant_id, person.email)
        d.suppressions.add(tenant_id, "email", key, SCOPE_MARKETING, "unsubscribe", d.clock(), pid)
    logger.info("unsubscribed", extra={"participant_id": pid, "mailing_id": entry["mailing_id"]})
    return Unsubscribed(unsubscribed=True)
