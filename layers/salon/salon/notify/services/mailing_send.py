"""A mailing's recipients, one SQS batch at a time (the notify consumer): the batch's recipients and
their suppressions read in one batch read each, each message claimed, rendered and sent once, the
mailing's counters moved once per batch.

Exactly once per (mailing, recipient): each message is claimed in the delivery log under its key (the
mailing and the recipient, as the queued message's dedupe id) before it is sent, so a redelivered
message finds its claim and sends nothing, and counts nothing. That claim is the message's idempotency
key: these messages skip the consumer's idempotency record (two writes each, for nothing more). A send
that fails releases its claim and fails its own message only (SQS retries it).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from salon.kernel.consumer import DomainEvent
from salon.kernel.person_key import person_key
from salon.notify import deps
from salon.notify.domain.mailings import RECIPIENT_EVENT
from salon.notify.domain.messages import Message
from salon.notify.services.dispatch import deliver_known, mailing_and_event

logger = logging.getLogger(__name__)
COUNTED = ("sent", "suppressed")  # the delivery statuses a mailing counts as they happen


@dataclass(frozen=True)
class Addressed:
    """One queued message of a mailing: its SQS message id and what it names."""

    message_id: str
    tenant_id: str
    mailing_id: str
    participant_id: str
    registration_id: str | None


def addressed(message_id: str, event: DomainEvent) -> Addressed | None:
    """The mailing message ``event`` is, or None if it is another domain event."""
    detail = event.detail
    if event.detail_type != RECIPIENT_EVENT or not detail.mailing_id or not detail.participant_ids:
        return None
    return Addressed(
        message_id, detail.tenant_id, detail.mailing_id, detail.participant_ids[0], detail.registration_id
    )


def send(batch: Sequence[Addressed]) -> list[str]:
    """Send a batch's messages (each at most once); return the ids of the messages that failed."""
    failed: list[str] = []
    groups: dict[tuple[str, str], list[Addressed]] = {}
    for one in batch:
        groups.setdefault((one.tenant_id, one.mailing_id), []).append(one)
    for (tenant_id, mailing_id), messages in groups.items():
        try:
            failed += _send_mailing(tenant_id, mailing_id, messages)
        except Exception:  # the batch reads failed: its messages are retried (nothing was sent)
            logger.exception("mailing batch not read", extra={"mailing_id": mailing_id})
            failed += [m.message_id for m in messages]
    return failed


def _send_mailing(tenant_id: str, mailing_id: str, messages: Sequence[Addressed]) -> list[str]:
    d = deps.get()
    found = mailing_and_event(tenant_id, mailing_id)
    if found is None:
        return []
    mailing, salon_event = found
    pairs = [
        (m.participant_id, m.registration_id or d.people.registration_of(tenant_id, m.participant_id))
        for m in messages
    ]
    # Read at send time: a restriction or objection flagged since the send started still counts.
    people = d.people.mailable(tenant_id, [(pid, rid) for pid, rid in pairs if rid])
    scopes = d.suppressions.scopes_of(
        tenant_id, "email", {person_key(tenant_id, p.email) for p in people.values()}
    )
    counts: Counter[str] = Counter()
    failed: list[str] = []
    try:
        for m in messages:
            person = people.get(m.participant_id)
            if person is None:
                continue
            message = Message(
                "email", "mailing", person, f"{mailing_id}:{m.participant_id}", {"mailing": mailing}
            )
            scope = scopes.get(person_key(tenant_id, person.email))
            try:
                counts[deliver_known(tenant_id, salon_event, message, scope, mailing_id=mailing_id)] += 1
            except Exception:  # not sent (its claim released): this message alone is retried
                logger.exception("mailing message not sent", extra={"participant_id": m.participant_id})
                failed.append(m.message_id)
    finally:
        d.mailings.count(tenant_id, mailing_id, {status: counts[status] for status in COUNTED})
    return failed
