"""The notify consumer's callback: a domain event -> the messages it yields -> each one sent once.

Each message is claimed in the delivery log under its key (domain event, recipient, kind) before it
is sent: a redelivered event finds its messages claimed and sends nothing twice; a send that fails
releases its claim and raises, so SQS retries the event and only the unsent messages go. A suppressed
address gets its log entry with the reason, and nothing is sent.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Sequence
from typing import Any

from salon.kernel.consumer import DomainEvent
from salon.kernel.outbox import dedupe_id
from salon.kernel.person_key import person_key
from salon.kernel.settings import get_settings
from salon.notify import deps
from salon.notify.adapters.deliveries import SCOPE_ALL, Claim
from salon.notify.adapters.email_sender import Envelope, mailer
from salon.notify.adapters.people import recipient
from salon.notify.adapters.sms_sender import texter
from salon.notify.domain import plan
from salon.notify.domain.messages import Branding, Message
from salon.notify.domain.render import render_email, render_sms
from salon.notify.domain.sms import fit
from salon.notify.services.mailing_render import render_for, unsubscribe_url
from salon.registration.domain.events import Event
from salon.registration.services.consent import consent_link, held_people
from salon.requalification.services.link import requalification_link

logger = logging.getLogger(__name__)
MAILING_READ_TTL = 30.0  # seconds a warm instance reuses a mailing and its event between recipients
_mailings_read: dict[tuple[str, str], tuple[float, tuple[dict[str, Any], Event] | None]] = {}


def handle(event: DomainEvent) -> None:
    detail = event.detail
    if event.detail_type not in plan.HANDLED or detail.event_id is None:
        return
    d = deps.get()
    salon_event = d.events.get_event(detail.tenant_id, detail.event_id)
    if salon_event is None:
        logger.warning("notification for an unknown event", extra={"event_id": detail.event_id})
        return
    deliver_all(detail.tenant_id, salon_event, messages_for(event, salon_event))


def links(event_id: str) -> plan.Links:
    base = get_settings().app_url.rstrip("/")
    return plan.Links(sign_in=f"{base}/sign-in?event={event_id}", agenda=f"{base}/agenda?event={event_id}")


def branding(event: Event) -> Branding:
    names = {loc: getattr(event.name, loc) or "" for loc in ("fr", "en")}
    fallback = next(v for v in names.values() if v)
    look = event.branding
    return Branding(
        event_name={k: v or fallback for k, v in names.items()},
        sender_name=look.sender_name,
        reply_to=look.reply_to,
        logo_url=look.logo_url,
    )


def messages_for(event: DomainEvent, salon_event: Event) -> list[Message]:
    d = deps.get()
    detail, t = event.detail, event.detail.tenant_id
    names = branding(salon_event).event_name
    where = links(salon_event.event_id)
    if event.detail_type in plan.REGISTRATION_KINDS and detail.registration_id:
        _, people, reason = d.people.company(t, detail.registration_id, detail.participant_ids)
        return plan.registration_messages(
            event.detail_type, detail.dedupe_id, people, names, reason or "", where
        )
    if event.detail_type in plan.REQUEST_KINDS and detail.request_id:
        request = d.requests.get(t, detail.request_id)
        if request is None:
            return []
        _, side = plan.REQUEST_KINDS[event.detail_type]
        told, other = (
            (request.to_registration_id, request.from_registration_id)
            if side == "to"
            else (request.from_registration_id, request.to_registration_id)
        )
        only = request.to_participant_ids if side == "to" else request.from_participant_ids
        _, people, _ = d.people.company(t, told, only)
        other_company, _, _ = d.people.company(t, other)
        return plan.request_messages(
            event.detail_type,
            detail.dedupe_id,
            people,
            other_company,
            names,
            request.refusal_reason or "",
            where,
        )
    if event.detail_type == plan.AGENDA_CHANGED and detail.participant_ids and detail.changes is not None:
        pid = detail.participant_ids[0]
        rid = d.people.registration_of(t, pid)
        if rid is None:
            return []
        _, people, _ = d.people.company(t, rid, (pid,))
        activation = salon_event.key_dates.sms_activation_at
        sms_active = activation is not None and d.clock() >= activation
        return [
            m
            for person in people
            for m in plan.agenda_messages(
                detail.dedupe_id,
                person,
                detail.version or 1,
                detail.changes,
                names,
                salon_event.time_zone,
                where,
                sms_active,
            )
        ]
    if (
        event.detail_type == plan.REQUALIFICATION_REQUESTED
        and detail.registration_id
        and detail.participant_ids
    ):
        pid = detail.participant_ids[0]
        link = requalification_link(t, detail.registration_id, pid)
        _, people, _ = d.people.company(t, detail.registration_id, (pid,), mobiles=False)
        if link is None or not people:  # confirmed (or removed) before the e-mail went
            return []
        url, due_at = link
        return plan.requalification_messages(
            detail.dedupe_id, people[0], names, url, due_at, salon_event.time_zone, where
        )
    if event.detail_type == plan.REGISTRATION_HELD and detail.registration_id:
        found = held_people(t, detail.registration_id, detail.participant_ids)
        if found is None:  # stored meanwhile: its registration.submitted tells everyone
            return []
        colleagues, sheet = found
        submitted = dedupe_id(t, detail.registration_id, "submitted")
        recipients = [recipient(p, sheet, {}) for p in colleagues]
        return plan.registration_messages("registration.submitted", submitted, recipients, names, "", where)
    if event.detail_type == plan.CONSENT_REQUESTED and detail.registration_id and detail.participant_ids:
        held = consent_link(t, detail.registration_id, detail.participant_ids[0])
        if held is None:  # consented (or expired) before the e-mail went
            return []
        url, due_at, person, sheet = held
        return plan.consent_messages(
            detail.dedupe_id, recipient(person, sheet, {}), names, url, due_at, salon_event.time_zone
        )
    return []


def mailing_and_event(tenant_id: str, mailing_id: str) -> tuple[dict[str, Any], Event] | None:
    """The mailing and its event, read once per TTL by a warm instance rather than once per recipient:
    a mailing's texts are fixed once it is sent, and its event changes rarely."""
    now = time.monotonic()
    cached = _mailings_read.get((tenant_id, mailing_id))
    if cached is not None and now - cached[0] < MAILING_READ_TTL:
        return cached[1]
    d = deps.get()
    mailing = d.mailings.get(tenant_id, mailing_id)
    salon_event = d.events.get_event(tenant_id, mailing["event_id"]) if mailing else None
    found = (mailing, salon_event) if mailing is not None and salon_event is not None else None
    if found is not None:
        _mailings_read.clear()  # one mailing at a time is sent: the cache stays one entry long
        _mailings_read[(tenant_id, mailing_id)] = (now, found)
    return found


def deliver_all(tenant_id: str, salon_event: Event, messages: Sequence[Message]) -> Counter[str]:
    """Send each message at most once, their addresses' suppression scopes read in one batch per
    channel; how many got each status (``duplicate`` for one sent already). A failed send raises (its
    claim released), after the earlier messages went: a retry sends only the rest."""
    suppressions = deps.get().suppressions
    addressed = [(message, _address(message)) for message in messages]
    scopes: dict[str, dict[str, str]] = {}
    for channel in {message.channel for message, address in addressed if address}:
        wanted = {person_key(tenant_id, a) for m, a in addressed if a and m.channel == channel}
        scopes[channel] = suppressions.scopes_of(tenant_id, channel, wanted)
    counts: Counter[str] = Counter()
    for message, address in addressed:
        scope = scopes[message.channel].get(person_key(tenant_id, address)) if address else None
        counts[deliver_known(tenant_id, salon_event, message, scope)] += 1
    return counts


def _address(message: Message) -> str | None:
    return message.recipient.email if message.channel == "email" else message.recipient.mobile


def deliver_known(
    tenant_id: str, salon_event: Event, message: Message, scope: str | None, *, mailing_id: str | None = None
) -> str:
    """Send one message at most once, its address's suppression scope read already (a batch reads
    them together); return its delivery status (or ``duplicate``)."""
    d = deps.get()
    recipient = message.recipient
    address = _address(message)
    if address is None:
        return "skipped"
    claim = Claim(
        tenant_id,
        recipient.participant_id,
        message.key,
        salon_event.event_id,
        message.kind,
        message.channel,
        mailing_id,
    )
    ids = {"message_key": message.key, "participant_id": recipient.participant_id, "kind": message.kind}
    if not d.log.claim(claim, d.clock()):
        logger.info("already sent", extra=ids)
        return "duplicate"
    if scope == SCOPE_ALL or (scope is not None and (mailing_id is not None or message.channel == "sms")):
        d.log.mark(tenant_id, recipient.participant_id, message.key, "suppressed", d.clock(), reason=scope)
        logger.info("suppressed", extra=ids)
        return "suppressed"
    try:
        provider_id = _send(tenant_id, salon_event, message, address)
    except Exception:  # not sent: the retry must find no claim
        d.log.release(tenant_id, recipient.participant_id, message.key)
        raise
    d.log.mark(
        tenant_id, recipient.participant_id, message.key, "sent", d.clock(), provider_message_id=provider_id
    )
    logger.info("sent", extra={**ids, "channel": message.channel})
    return "sent"


def _send(tenant_id: str, salon_event: Event, message: Message, address: str) -> str:
    look = branding(salon_event)
    locale = message.recipient.locale
    if message.channel == "sms":
        return texter.get().send(
            address, fit(render_sms(message.kind, locale, message.context)), message.kind
        )
    unsubscribe: str | None = None
    if message.kind == "mailing":  # marketing: a signed one-click unsubscribe (RFC 8058)
        unsubscribe = unsubscribe_url(tenant_id, message.key)
        rendered = render_for(
            tenant_id, message.context["mailing"], message.recipient, salon_event, unsubscribe
        )
    else:
        footer = {"event_name": look.name_in(locale), "logo_url": look.logo_url, "unsubscribe_url": None}
        rendered = render_email(message.kind, locale, message.context, footer=footer)
    envelope = Envelope(
        sender=get_settings().notify_sender,
        sender_name=look.sender_name or look.name_in(locale),
        to=address,
        kind=message.kind,
        reply_to=look.reply_to,
        unsubscribe_url=unsubscribe,
    )
    tags = {
        "tenant_id": tenant_id,
        "participant_id": message.recipient.participant_id,
        "message_key": message.key,
    }
    return mailer.get().send(envelope, rendered, tags)
