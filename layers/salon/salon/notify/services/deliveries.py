"""What a participant was sent, and why they got nothing: the organiser's view of the delivery log
and of the suppression list (audited: it says whom the tenant writes to)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from salon.kernel import audit
from salon.kernel.caller import Caller, require
from salon.kernel.errors import NotFound
from salon.kernel.person_key import person_key
from salon.kernel.principal import REVIEW
from salon.kernel.values import StrictModel
from salon.notify import deps


class DeliveriesQuery(StrictModel):
    participant_id: str = Field(min_length=1, max_length=64)


class Delivery(BaseModel):
    kind: str
    channel: str  # email | sms
    status: str  # sending | sent | suppressed | delivered | bounced | complained
    reason: str | None = None  # why suppressed, or the bounce type
    created_at: str
    sent_at: str | None = None
    mailing_id: str | None = None


class Deliveries(BaseModel):
    participant_id: str
    email_suppressed: str | None  # scope: all | marketing; None: the address is not suppressed
    sms_suppressed: str | None
    deliveries: list[Delivery]


def of_participant(caller: Caller, event_id: str, query: DeliveriesQuery) -> Deliveries:
    principal = require(caller, REVIEW)
    t, pid = principal.tenant_id, query.participant_id
    d = deps.get()
    rid = d.people.registration_of(t, pid)
    _, people, _ = d.people.company(t, rid, (pid,)) if rid else ("", [], None)
    if not people or d.events.get_event(t, event_id) is None:
        raise NotFound("no such participant in this event")
    person = people[0]
    audit.record(
        caller,
        role=principal.acting_role(REVIEW),
        action="delivery.list",
        subjects=[pid],
        item_types=["delivery", "suppression"],
        fields=["kind", "status", "reason"],
        purpose="tell why a participant got nothing",
    )
    sms_scope = (
        d.suppressions.scope_of(t, "sms", person_key(t, person.mobile)) if person.mobile is not None else None
    )
    items = d.log.of_participant(t, pid, event_id)
    return Deliveries(
        participant_id=pid,
        email_suppressed=d.suppressions.scope_of(t, "email", person_key(t, person.email)),
        sms_suppressed=sms_scope,
        deliveries=[
            Delivery.model_validate({k: v for k, v in i.items() if k in Delivery.model_fields})
            for i in sorted(items, key=lambda i: str(i["created_at"]))
        ],
    )
