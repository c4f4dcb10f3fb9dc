"""Meeting requests: send, answer, cancel, and staff acting on a participant's behalf (audited).

A participant is resolved to their company through their user links. Every change is one transaction
built by the repository (``Writes``) and committed here with its domain event (``meeting_request.<state>``,
ids only, through the transactional outbox) and, for staff acting on a participant's behalf, its audit
record: the change, its announcement and its record are written together or not at all.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from salon.kernel import audit
from salon.kernel.audit_record import AuditAction
from salon.kernel.caller import Caller, require
from salon.kernel.domain_events import MATCHMAKING_SOURCE, EventDetail
from salon.kernel.dynamo import Put
from salon.kernel.errors import (
    Conflict,
    DuplicateRequest,
    FieldError,
    Forbidden,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)
from salon.kernel.idempotency import idempotent
from salon.kernel.outbox import dedupe_id, event_put
from salon.kernel.principal import REVIEW, SELF, Principal
from salon.kernel.values import iso
from salon.matchmaking import deps
from salon.matchmaking.adapters.requests_repo import PairTaken, Ref, Snapshot, Writes, request_expiry
from salon.matchmaking.domain.request_commands import (
    AnswerMeetingRequest,
    AnswerOnBehalf,
    CancelMeetingRequest,
    RequestOutcome,
    SendMeetingRequest,
    SendOnBehalf,
)
from salon.matchmaking.domain.requests import (
    Action,
    Actor,
    AnswerInput,
    Company,
    Counts,
    LiveRequest,
    MeetingRequest,
    RequestInput,
    SendContext,
    State,
    active,
    check_send,
    check_window,
    mutual_or_duplicate,
    next_state,
)
from salon.registration.domain.events import Event

ON_BEHALF_FIELDS = ("message", "refusal_reason", "from_participant_ids", "to_participant_ids")


def new_request_id(now: datetime) -> str:
    """Sortable by creation time (milliseconds first), unique by its random part."""
    return f"mr_{int(now.timestamp() * 1000):012x}{uuid.uuid4().hex[:16]}"


def participation(principal: Principal, event_id: str, registration_id: str | None = None) -> tuple[str, str]:
    """The caller's (registration, participant) in the event, through their user links (404 if none)."""
    links = deps.get().links.of(principal.tenant_id, principal.sub)
    mine = sorted(
        (link for link in links if link["event_id"] == event_id)
        if registration_id is None
        else (link for link in links if link["registration_id"] == registration_id),
        key=lambda link: str(link["participant_id"]),
    )
    if not mine:
        raise NotFound("no participation of yours matches")
    return mine[0]["registration_id"], mine[0]["participant_id"]


def only_event(principal: Principal) -> str:
    """The one event the caller takes part in (404 if none, 422 if several: they must name one)."""
    links = deps.get().links.of(principal.tenant_id, principal.sub)
    events = sorted({str(link["event_id"]) for link in links})
    if not events:
        raise NotFound("no participation of yours matches")
    if len(events) > 1:
        raise ValidationFailed(
            "you take part in several events",
            errors=[FieldError("event_id", "required: you take part in several events")],
        )
    return events[0]


def event_of(tenant_id: str, event_id: str) -> Event:
    event = deps.get().events.get_event(tenant_id, event_id)
    if event is None:
        raise NotFound("no such event")
    return event


def _company(
    item: Mapping[str, Any] | None, people: Mapping[str, Mapping[str, str]], event_id: str
) -> Company:
    if item is None or item.get("event_id") != event_id:
        raise NotFound("no such company in this event")
    rid = item["registration_id"]
    return Company(rid, item["event_id"], item["type"], item["state"], dict(people.get(rid, {})))


def _live(pair: Mapping[str, Any] | None) -> LiveRequest | None:
    if not pair or "live_request_id" not in pair:
        return None
    return LiveRequest(pair["live_request_id"], pair["live_from"], pair["live_state"])


def _announcement(tenant_id: str, event_id: str, ref: Ref, state: State, actor: Actor, at: datetime) -> Put:
    """The domain event of a request reaching ``state`` (each state is reached once per request)."""
    detail = EventDetail(
        tenant_id=tenant_id,
        dedupe_id=dedupe_id(tenant_id, ref.request_id, state),
        event_id=event_id,
        request_id=ref.request_id,
        from_registration_id=ref.from_registration_id,
        to_registration_id=ref.to_registration_id,
        actor_id=actor.sub,
    )
    return event_put(f"meeting_request.{state}", detail, at, source=MATCHMAKING_SOURCE)


def _commit(writes: Writes, *also: Put) -> None:
    writes.ops.extend(also)
    deps.get().requests.commit(writes)


def _send(
    tenant_id: str,
    event_id: str,
    from_rid: str,
    body: RequestInput,
    actor: Actor,
    also: tuple[Put, ...] = (),
) -> RequestOutcome:
    d = deps.get()
    now = d.clock()
    wanted: dict[str, list[str]] = {from_rid: [*body.from_participant_ids]}
    if actor.participant_id:
        wanted[from_rid].append(actor.participant_id)
    wanted.setdefault(body.to_registration_id, []).extend(body.to_participant_ids)
    snap = d.requests.snapshot(tenant_id, event_id, from_rid, body.to_registration_id, wanted)
    if snap.event is None:
        raise NotFound("no such event")
    event = Event.model_validate(snap.event)
    sender = _company(snap.sender, snap.participants, event_id)
    receiver = _company(snap.receiver, snap.participants, event_id)
    if actor.participant_id and not sender.attends(actor.participant_id):
        if actor.role == "participant":
            raise Forbidden("your participation is not active")
        raise ValidationFailed(
            "not an active participant of that company",
            errors=[FieldError("participant_id", "not an active participant of that company")],
        )
    live = _live(snap.pair)
    if live is not None:
        return _approve_theirs(tenant_id, live, sender, receiver, event, actor, now, also)
    limits = snap.rules.for_type(sender.type)
    check_send(SendContext(now, event.key_dates, sender, receiver, _counts(snap), limits), body)
    request = MeetingRequest(
        request_id=new_request_id(now),
        tenant_id=tenant_id,
        event_id=event_id,
        from_registration_id=from_rid,
        to_registration_id=receiver.registration_id,
        from_participant_ids=body.from_participant_ids
        or ([actor.participant_id] if actor.participant_id else []),
        to_participant_ids=body.to_participant_ids,
        message=body.message,
        priority=body.priority,
        state="sent",
        sent_by=actor,
        created_at=now,
        updated_at=now,
    )
    writes = d.requests.send_writes(
        request,
        sender_type=sender.type,
        receiver_type=receiver.type,
        limits=limits,
        expires_at=request_expiry(event.ends_at),
    )
    try:
        _commit(writes, _announcement(tenant_id, event_id, Ref.of(request), "sent", actor, now), *also)
    except PairTaken:
        # The other side (or a retry of mine) took the pair between the read and the write.
        live = _live(d.requests.pair(tenant_id, from_rid, receiver.registration_id))
        if live is None:
            raise Conflict("the request raced with another change of this pair; retry") from None
        return _approve_theirs(tenant_id, live, sender, receiver, event, actor, now, also)
    return RequestOutcome(
        request_id=request.request_id,
        state="sent",
        mutual=False,
        from_registration_id=from_rid,
        to_registration_id=receiver.registration_id,
        resolution="created",
    )


def _counts(snap: Snapshot) -> Counts:
    counters = snap.counters or {}
    return Counts(int(counters.get("sent_count", 0)), int(counters.get("priority_one_count", 0)))


def _approve_theirs(
    tenant_id: str,
    live: LiveRequest,
    sender: Company,
    receiver: Company,
    event: Event,
    actor: Actor,
    now: datetime,
    also: tuple[Put, ...],
) -> RequestOutcome:
    """My request to a company that asked me first approves theirs (mutual), if it still waits."""
    mutual_or_duplicate(live, sender.registration_id)
    check_window("approve", event.key_dates, now)
    ref = Ref(tenant_id, live.request_id, receiver.registration_id, sender.registration_id)
    values = {"mutual": True, **_answered(actor, now)}
    announced = _announcement(tenant_id, event.event_id, ref, "approved", actor, now)
    try:
        _commit(deps.get().requests.transition_writes(ref, "approved", values), announced, *also)
    except InvalidTransition as exc:
        # Answered meanwhile (another request of mine approved it, or they cancelled): not mine to send.
        raise DuplicateRequest("the other company's request was answered meanwhile; reload") from exc
    return RequestOutcome(
        request_id=live.request_id,
        state="approved",
        mutual=True,
        from_registration_id=receiver.registration_id,
        to_registration_id=sender.registration_id,
        resolution="approved_theirs",
    )


def _answered(actor: Actor, now: datetime) -> dict[str, Any]:
    return {
        "answered_by": actor.model_dump(exclude_none=True),
        "answered_at": iso(now),
        "updated_at": iso(now),
    }


def change(
    request: MeetingRequest,
    action: Action,
    actor: Actor,
    reason: str | None = None,
    also: tuple[Put, ...] = (),
) -> RequestOutcome:
    """Apply ``action`` to a request within the event's window: one transaction with its event."""
    d = deps.get()
    now = d.clock()
    if action != "expire":
        check_window(action, event_of(request.tenant_id, request.event_id).key_dates, now)
    target = next_state(request.state, action)
    values: dict[str, Any] = {"updated_at": iso(now)}
    if action in ("approve", "refuse"):
        values.update(_answered(actor, now))
    if target != "approved":
        values["ended_at"] = iso(now)
    if reason:
        values["refusal_reason"] = reason
    ref = Ref.of(request)
    announced = _announcement(request.tenant_id, request.event_id, ref, target, actor, now)
    _commit(d.requests.transition_writes(ref, target, values), announced, *also)
    return RequestOutcome(
        request_id=request.request_id,
        state=target,
        mutual=request.mutual,
        from_registration_id=request.from_registration_id,
        to_registration_id=request.to_registration_id,
        resolution="changed",
    )


def _request(tenant_id: str, request_id: str) -> MeetingRequest:
    request = deps.get().requests.get(tenant_id, request_id)
    if request is None:
        raise NotFound("no such meeting request")
    return request


def _decision(answer: AnswerInput) -> Action:
    return "approve" if answer.decision == "approve" else "refuse"


@idempotent
def send(caller: Caller, command: SendMeetingRequest) -> RequestOutcome:
    principal = require(caller, SELF)
    registration_id, participant_id = participation(principal, command.event_id)
    actor = Actor(sub=principal.sub, role="participant", participant_id=participant_id)
    return _send(principal.tenant_id, command.event_id, registration_id, command.request, actor)


@idempotent
def answer(caller: Caller, command: AnswerMeetingRequest) -> RequestOutcome:
    """The receiving company approves or refuses (with an optional reason)."""
    principal = require(caller, SELF)
    request = _request(principal.tenant_id, command.request_id)
    _, participant_id = _side(principal, request, request.to_registration_id, "the receiving company answers")
    actor = Actor(sub=principal.sub, role="participant", participant_id=participant_id)
    return change(request, _decision(command.answer), actor, command.answer.reason)


@idempotent
def cancel(caller: Caller, command: CancelMeetingRequest) -> RequestOutcome:
    """The sending company withdraws a request not yet answered."""
    principal = require(caller, SELF)
    request = _request(principal.tenant_id, command.request_id)
    _, participant_id = _side(principal, request, request.from_registration_id, "the sending company cancels")
    actor = Actor(sub=principal.sub, role="participant", participant_id=participant_id)
    return change(request, "cancel", actor)


def _side(principal: Principal, request: MeetingRequest, registration_id: str, who: str) -> tuple[str, str]:
    """The caller's participation on the given side of the request: 403 from the other side, 404 else."""
    links = deps.get().links.of(principal.tenant_id, principal.sub)
    companies = {link["registration_id"]: link["participant_id"] for link in links}
    if registration_id in companies:
        return registration_id, companies[registration_id]
    if {request.from_registration_id, request.to_registration_id} & set(companies):
        raise Forbidden(f"only {who}")
    raise NotFound("no such meeting request")


@idempotent
def send_on_behalf(caller: Caller, command: SendOnBehalf) -> RequestOutcome:
    """An organiser or staff member sends for a company (and, if named, for one of its participants)."""
    principal = require(caller, REVIEW)
    actor = _staff_actor(principal, command.participant_id)
    companies = (command.from_registration_id, command.request.to_registration_id)
    recorded = _audit(caller, principal, "meeting_request.send_on_behalf", companies, command.participant_id)
    return _send(
        principal.tenant_id,
        command.event_id,
        command.from_registration_id,
        command.request,
        actor,
        recorded,
    )


@idempotent
def answer_on_behalf(caller: Caller, command: AnswerOnBehalf) -> RequestOutcome:
    principal = require(caller, REVIEW)
    request = _request(principal.tenant_id, command.request_id)
    if command.participant_id is not None:
        status = deps.get().requests.participant_status(
            principal.tenant_id, request.to_registration_id, command.participant_id
        )
        if not active(status):
            raise ValidationFailed(
                "not an active participant of the receiving company",
                errors=[FieldError("participant_id", "not an active participant of the receiving company")],
            )
    actor = _staff_actor(principal, command.participant_id)
    companies = (request.from_registration_id, request.to_registration_id)
    recorded = _audit(
        caller, principal, "meeting_request.answer_on_behalf", companies, command.participant_id
    )
    return change(request, _decision(command.answer), actor, command.answer.reason, recorded)


def _staff_actor(principal: Principal, participant_id: str | None) -> Actor:
    role = principal.acting_role(REVIEW)
    return Actor.model_validate({"sub": principal.sub, "role": role, "participant_id": participant_id})


def _audit(
    caller: Caller,
    principal: Principal,
    action: AuditAction,
    companies: tuple[str, str],
    pid: str | None,
) -> tuple[Put, ...]:
    """The audit record's writes, to go in the change's own transaction."""
    recorded = audit.entry(
        caller,
        role=principal.acting_role(REVIEW),
        action=action,
        subjects=[*companies, *([pid] if pid else [])],
        item_types=["meeting_request"],
        fields=ON_BEHALF_FIELDS,
        purpose="matchmaking-on-behalf",
    )
    return tuple(audit.puts(recorded))
