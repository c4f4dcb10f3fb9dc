"""Meeting requests against the local cloud: the pair item, caps and mutual resolution under
concurrency, listings by direction and state, expiry, staff acting on behalf, and the request count."""

from __future__ import annotations

import contextlib
import json
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from salon.kernel import audit, aws, keys, platform
from salon.kernel.caller import Caller
from salon.kernel.dynamo import Table
from salon.kernel.errors import (
    DuplicateRequest,
    Forbidden,
    InvalidTransition,
    LimitReached,
    SalonError,
    ValidationFailed,
    WindowClosed,
)
from salon.kernel.outbox import dedupe_id
from salon.kernel.principal import Principal
from salon.kernel.values import Page
from salon.matchmaking import deps
from salon.matchmaking.domain.request_commands import (
    AnswerMeetingRequest,
    AnswerOnBehalf,
    BoostPair,
    CancelMeetingRequest,
    PutRequestLimits,
    SendMeetingRequest,
    SendOnBehalf,
    StaffFilters,
)
from salon.matchmaking.domain.requests import Actor, AnswerInput, MatchmakingRules, RequestInput
from salon.matchmaking.services import request_config, request_lists, requests
from salon.registration.adapters.events_repo import EventsRepository
from salon.registration.adapters.submissions_repo import SubmissionsRepository
from salon.registration.domain.events import Event, EventCreate
from salon.registration.domain.participation_types import ParticipationType

pytestmark = pytest.mark.integration
NOW = datetime.now(UTC)
LABELS = {"fr": "x", "en": "x"}


@dataclass(frozen=True)
class Company:
    registration_id: str
    participant_ids: list[str]
    caller: Caller


@dataclass(frozen=True)
class Fair:
    tenant_id: str
    event: Event
    staff: Caller
    organizer: Caller
    new: Callable[..., Company]


def caller_for(tenant_id: str, role: str) -> Caller:
    return Caller(Principal(f"sub-{uuid.uuid4().hex[:8]}", tenant_id, frozenset({role})), "req-test")


@pytest.fixture
def fair(cloud: Any) -> Fair:
    table = Table(cloud.resources.table_name)
    events, regs = EventsRepository(table), SubmissionsRepository(table)
    tenant_id = f"tenant-{uuid.uuid4().hex[:8]}"
    body = EventCreate.model_validate(
        {
            "name": {"fr": "Salon"},
            "starts_at": NOW + timedelta(days=30),
            "ends_at": NOW + timedelta(days=31),
            "time_zone": "Europe/Paris",
            "key_dates": {
                "catalogue_opens_at": NOW - timedelta(days=1),
                "requests_deadline_at": NOW + timedelta(days=10),
                "answers_deadline_at": NOW + timedelta(days=20),
            },
        }
    )
    event = Event(
        event_id=f"evt_{uuid.uuid4().hex}",
        tenant_id=tenant_id,
        created_at=NOW,
        updated_at=NOW,
        **body.model_dump(),
    )
    events.create_event(event)
    for code, other in (("buyer", "supplier"), ("supplier", "buyer")):
        events.create_type(
            tenant_id,
            ParticipationType(
                code=code,
                labels=LABELS,
                can_see=[other],
                can_request=[other],
                event_id=event.event_id,
                created_at=NOW,
            ),
        )

    def new(type_: str = "buyer", people: int = 2, state: str = "validated") -> Company:
        rid = f"reg_{uuid.uuid4().hex}"
        pids = [f"par_{uuid.uuid4().hex}" for _ in range(people)]
        participants = [
            {
                "participant_id": pid,
                "registration_id": rid,
                "event_id": event.event_id,
                "position": i,
                "email": f"{pid}@example.test",
                "account_status": "active",
                "first_name": "Ada",
                "last_name": f"Person{i}",
            }
            for i, pid in enumerate(pids)
        ]
        registration = {
            "registration_id": rid,
            "event_id": event.event_id,
            "type": type_,
            "state": state,
            "company_name": f"Company {rid[-4:]}",
            "participant_ids": pids,
            "created_at": NOW.isoformat(),
        }
        regs.create(tenant_id, registration, participants)
        caller = caller_for(tenant_id, "participant")
        assert caller.principal is not None
        regs.link_user(tenant_id, caller.principal.sub, participants[0])
        return Company(rid, pids, caller)

    return Fair(tenant_id, event, caller_for(tenant_id, "staff"), caller_for(tenant_id, "organizer"), new)


def send(fair: Fair, sender: Company, receiver: Company, **body: Any) -> Any:
    request = RequestInput(to_registration_id=receiver.registration_id, **body)
    return requests.send(sender.caller, SendMeetingRequest(event_id=fair.event.event_id, request=request))


def live_requests(fair: Fair) -> list[Any]:
    page = request_lists.list_event(fair.staff, fair.event.event_id, StaffFilters(), Page(limit=100))
    return [r for r in page.items if r.state in ("sent", "approved")]


@pytest.fixture
def calls() -> Iterator[list[str]]:
    """The DynamoDB operations the test's own thread makes (botocore's before-call hook): the client is
    shared with the in-process consumers, whose calls for the events a request causes are not its cost."""
    seen: list[str] = []
    mine = threading.get_ident()

    def count(model: Any, **_: Any) -> None:
        if threading.get_ident() == mine:
            seen.append(model.name)

    hooks = aws.dynamodb().meta.client.meta.events
    hooks.register("before-call.dynamodb", count)
    yield seen
    hooks.unregister("before-call.dynamodb", count)


def test_a_request_costs_two_reads_and_one_transaction(fair: Fair, calls: list[str]) -> None:
    buyer, supplier = fair.new("buyer"), fair.new("supplier")
    calls.clear()
    outcome = send(
        fair, buyer, supplier, from_participant_ids=buyer.participant_ids, priority=1, message="Bonjour"
    )
    assert outcome.resolution == "created" and outcome.state == "sent"
    assert Counter(calls) == Counter({"Query": 1, "BatchGetItem": 1, "TransactWriteItems": 1})
    calls.clear()
    mutual = send(fair, supplier, buyer)  # approving theirs costs the same
    assert (mutual.resolution, mutual.request_id, mutual.mutual) == (
        "approved_theirs",
        outcome.request_id,
        True,
    )
    assert Counter(calls) == Counter({"Query": 1, "BatchGetItem": 1, "TransactWriteItems": 1})


def test_listing_by_direction_and_state_and_the_answers(fair: Fair) -> None:
    buyer, s1, s2, s3 = fair.new("buyer"), fair.new("supplier"), fair.new("supplier"), fair.new("supplier")
    r1, r2, r3 = (send(fair, buyer, s, message="hello") for s in (s1, s2, s3))
    assert (
        requests.answer(
            s1.caller, AnswerMeetingRequest(request_id=r1.request_id, answer=AnswerInput(decision="approve"))
        ).state
        == "approved"
    )
    refused = requests.answer(
        s2.caller,
        AnswerMeetingRequest(
            request_id=r2.request_id, answer=AnswerInput(decision="refuse", reason="Complet")
        ),
    )
    assert refused.state == "refused"
    assert requests.cancel(buyer.caller, CancelMeetingRequest(request_id=r3.request_id)).state == "cancelled"
    with pytest.raises(InvalidTransition):
        requests.cancel(buyer.caller, CancelMeetingRequest(request_id=r1.request_id))  # answered already
    with pytest.raises(Forbidden):
        requests.answer(
            buyer.caller,
            AnswerMeetingRequest(request_id=r1.request_id, answer=AnswerInput(decision="refuse")),
        )
    with pytest.raises(Forbidden):
        requests.cancel(s1.caller, CancelMeetingRequest(request_id=r1.request_id))
    eid = fair.event.event_id
    sent = request_lists.list_mine(buyer.caller, eid, "sent", None, Page(limit=10))
    assert sorted(r.state for r in sent.items) == ["approved", "cancelled", "refused"]
    only = request_lists.list_mine(buyer.caller, eid, "sent", "refused", Page(limit=10))
    assert [(r.request_id, r.refusal_reason) for r in only.items] == [(r2.request_id, "Complet")]
    received = request_lists.list_mine(s1.caller, eid, "received", "approved", Page(limit=10))
    assert [r.request_id for r in received.items] == [r1.request_id]
    assert received.items[0].weight == 10  # priority 3, one-sided
    assert request_lists.list_mine(s1.caller, eid, "sent", None, Page(limit=10)).items == []
    first = request_lists.list_mine(buyer.caller, eid, "sent", None, Page(limit=2))
    rest = request_lists.list_mine(buyer.caller, eid, "sent", None, Page(limit=2, cursor=first.next_cursor))
    assert len(first.items) == 2 and len(rest.items) == 1
    # Refused and cancelled free the pair: asking again is a new request.
    assert send(fair, buyer, s2).resolution == "created"
    with pytest.raises(DuplicateRequest):
        send(fair, s1, buyer)  # approved: still live


def test_rules_refuse_with_the_reason(fair: Fair) -> None:
    buyer, other_buyer, supplier = fair.new("buyer"), fair.new("buyer"), fair.new("supplier")
    with pytest.raises(ValidationFailed) as caught:
        send(fair, buyer, other_buyer)  # buyers may not request buyers: held by the transaction
    assert [e.field for e in caught.value.errors] == ["to_registration_id"]
    with pytest.raises(ValidationFailed) as caught:
        send(fair, buyer, buyer)
    assert "itself" in caught.value.errors[0].message
    with pytest.raises(ValidationFailed) as caught:
        send(fair, buyer, supplier, to_participant_ids=[buyer.participant_ids[0]])
    assert [e.field for e in caught.value.errors] == ["to_participant_ids[0]"]
    pending = fair.new("supplier", state="submitted")
    with pytest.raises(ValidationFailed):
        send(fair, buyer, pending)
    assert live_requests(fair) == []


def test_twenty_concurrent_requests_in_both_directions_leave_one_live_request(fair: Fair) -> None:
    a, b = fair.new("buyer"), fair.new("supplier")

    def attempt(i: int) -> str:
        sender, receiver = (a, b) if i % 2 == 0 else (b, a)
        try:
            return str(send(fair, sender, receiver).resolution)
        except SalonError as exc:
            return type(exc).__name__

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = Counter(pool.map(attempt, range(20)))
    assert results["created"] == 1
    assert results["approved_theirs"] == 1
    assert results["DuplicateRequest"] == 18
    (live,) = live_requests(fair)
    assert live.state == "approved" and live.mutual


def test_caps_hold_under_concurrency(fair: Fair) -> None:
    rules = MatchmakingRules.model_validate(
        {"limits": {"buyer": {"max_requests_sent": 3, "max_priority_one": 1}}}
    )
    request_config.put_limits(
        fair.organizer, PutRequestLimits(event_id=fair.event.event_id, rules=rules, version=0)
    )
    buyer = fair.new("buyer")
    suppliers = [fair.new("supplier", people=1) for _ in range(8)]

    def attempt(supplier: Company) -> str:
        try:
            return str(send(fair, buyer, supplier, priority=1).resolution)
        except SalonError as exc:
            return type(exc).__name__

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = Counter(pool.map(attempt, suppliers))
    assert results == Counter({"created": 1, "LimitReached": 7})
    for supplier in suppliers[:6]:
        with contextlib.suppress(LimitReached, DuplicateRequest):
            send(fair, buyer, supplier, priority=2)
    assert len(live_requests(fair)) == 3
    sent = request_lists.list_mine(buyer.caller, fair.event.event_id, "sent", "sent", Page(limit=10)).items
    requests.cancel(buyer.caller, CancelMeetingRequest(request_id=sent[0].request_id))  # gives a slot back
    assert send(fair, buyer, suppliers[7], priority=3).resolution == "created"


def test_unanswered_requests_expire_at_the_answers_deadline(fair: Fair) -> None:
    buyer, supplier, late = fair.new("buyer"), fair.new("supplier"), fair.new("supplier")
    first = send(fair, buyer, supplier)
    deadline = fair.event.key_dates.answers_deadline_at
    assert deadline is not None
    real = deps.get()
    deps.override(
        replace(real, platform=replace(platform.get(), clock=lambda: deadline + timedelta(minutes=1)))
    )
    try:
        with pytest.raises(WindowClosed):
            requests.answer(
                supplier.caller,
                AnswerMeetingRequest(request_id=first.request_id, answer=AnswerInput(decision="approve")),
            )
        with pytest.raises(WindowClosed):
            send(fair, buyer, late)
        listed = request_lists.list_mine(supplier.caller, fair.event.event_id, "received", "expired", Page())
        assert [r.request_id for r in listed.items] == [first.request_id]
    finally:
        deps.override(None)
    stored = deps.get().requests.get(fair.tenant_id, first.request_id)
    assert stored is not None and stored.state == "expired"
    assert "live_request_id" not in (
        deps.get().requests.pair(fair.tenant_id, buyer.registration_id, supplier.registration_id) or {}
    )


def test_staff_act_on_behalf_audited_and_list_with_filters(fair: Fair) -> None:
    buyer, supplier = fair.new("buyer"), fair.new("supplier")
    eid = fair.event.event_id
    outcome = requests.send_on_behalf(
        fair.staff,
        SendOnBehalf(
            event_id=eid,
            from_registration_id=buyer.registration_id,
            participant_id=buyer.participant_ids[1],
            request=RequestInput(to_registration_id=supplier.registration_id, priority=1),
        ),
    )
    requests.answer_on_behalf(
        fair.organizer,
        AnswerOnBehalf(
            request_id=outcome.request_id,
            participant_id=supplier.participant_ids[0],
            answer=AnswerInput(decision="approve"),
        ),
    )
    request_config.boost_pair(
        fair.organizer,
        BoostPair(event_id=eid, registration_ids=[supplier.registration_id, buyer.registration_id], boost=5),
    )
    page = request_lists.list_event(
        fair.staff,
        eid,
        StaffFilters(state="approved", to_registration_id=supplier.registration_id, priority=1),
        Page(),
    )
    (view,) = page.items
    assert view.sent_by.role == "staff" and view.sent_by.participant_id == buyer.participant_ids[1]
    assert view.answered_by is not None and view.answered_by.role == "organizer"
    assert view.weight == 35  # priority 1 (30) + the pair's boost
    assert request_lists.list_event(fair.staff, eid, StaffFilters(mutual=True), Page()).items == []
    assert fair.staff.principal is not None
    trail, _ = platform.get().audit.by_actor(fair.tenant_id, fair.staff.principal.sub, None, None, 10, None)
    assert {r.action for r in trail} == {"meeting_request.send_on_behalf", "meeting_request.list"}
    with pytest.raises(ValidationFailed):
        requests.send_on_behalf(
            fair.staff,
            SendOnBehalf(
                event_id=eid,
                from_registration_id=supplier.registration_id,
                participant_id=buyer.participant_ids[0],
                request=RequestInput(to_registration_id=fair.new("buyer").registration_id),
            ),
        )


def test_a_change_its_event_and_its_audit_record_are_written_together_or_not_at_all(fair: Fair) -> None:
    buyer, supplier = fair.new("buyer"), fair.new("supplier")
    outcome = send(fair, buyer, supplier)
    stale = deps.get().requests.get(fair.tenant_id, outcome.request_id)
    assert stale is not None
    requests.cancel(buyer.caller, CancelMeetingRequest(request_id=outcome.request_id))
    assert fair.staff.principal is not None
    recorded = audit.entry(
        fair.staff,
        role="staff",
        action="meeting_request.answer_on_behalf",
        subjects=[buyer.registration_id, supplier.registration_id],
        item_types=["meeting_request"],
        fields=["state"],
        purpose="test",
    )
    actor = Actor(sub=fair.staff.principal.sub, role="staff")

    with pytest.raises(InvalidTransition):  # the stored request is no longer sent: nothing is written
        requests.change(stale, "approve", actor, also=tuple(audit.puts(recorded)))

    trail, _ = platform.get().audit.by_actor(fair.tenant_id, fair.staff.principal.sub, None, None, 10, None)
    assert trail == []
    table = platform.get().table
    announced = [
        table.get(
            keys.outbox_pk(fair.tenant_id, dedupe_id(fair.tenant_id, outcome.request_id, state)),
            keys.OUTBOX_SK,
        )
        for state in ("sent", "cancelled", "approved")
    ]
    assert [item["detail_type"] if item else None for item in announced] == [
        "meeting_request.sent",
        "meeting_request.cancelled",
        None,
    ]


def _move_answers_deadline(fair: Fair, answers_deadline_at: datetime) -> None:
    """The organiser moves the answers deadline (the event's save rewrites its deadline index entry)."""
    events = deps.get().events
    event = events.get_event(fair.tenant_id, fair.event.event_id)
    assert event is not None
    dates = event.key_dates.model_copy(
        update={
            "requests_deadline_at": answers_deadline_at - timedelta(hours=1),
            "answers_deadline_at": answers_deadline_at,
        }
    )
    moved = event.model_copy(update={"key_dates": dates, "version": event.version + 1})
    events.save_event(moved, expected_version=event.version)


def _due_here(fair: Fair) -> list[Any]:
    due = deps.get().requests.due_deadlines(datetime.now(UTC), limit=1000)
    return [d for d in due if (d.tenant_id, d.event_id) == (fair.tenant_id, fair.event.event_id)]


def test_the_scheduled_sweep_expires_overdue_requests_found_through_the_deadline_index(
    fair: Fair, cloud: Any
) -> None:
    buyer, supplier, answered = fair.new("buyer"), fair.new("supplier"), fair.new("supplier")
    unanswered = send(fair, buyer, supplier)
    approved = send(fair, buyer, answered)
    requests.answer(
        answered.caller,
        AnswerMeetingRequest(request_id=approved.request_id, answer=AnswerInput(decision="approve")),
    )
    assert _due_here(fair) == []  # the deadline is ahead: not due
    _move_answers_deadline(fair, datetime.now(UTC) - timedelta(minutes=1))
    assert len(_due_here(fair)) == 1

    # The schedule's invocation (the local cloud's scheduler never fires): the function, in-process.
    function = cloud.resources.function_name("RequestExpiryFunction")
    payload = {"source": "aws.events", "detail-type": "Scheduled Event", "detail": {}}
    response = cloud.client("lambda").invoke(FunctionName=function, Payload=json.dumps(payload))
    outcome = json.loads(response["Payload"].read())

    assert outcome["events"] >= 1 and outcome["expired"] >= 1
    stored = {
        rid: deps.get().requests.get(fair.tenant_id, rid)
        for rid in (unanswered.request_id, approved.request_id)
    }
    assert {rid: r.state if r else None for rid, r in stored.items()} == {
        unanswered.request_id: "expired",
        approved.request_id: "approved",
    }
    assert _due_here(fair) == []  # swept: out of the index
    entry = Table(cloud.resources.table_name).get(
        keys.event_pk(fair.tenant_id, fair.event.event_id), keys.ANSWERS_DEADLINE_SK
    )
    assert entry is not None and "swept_at" in entry and "GSI1PK" not in entry


def test_a_deadline_moved_after_the_sweep_read_it_stays_indexed(fair: Fair) -> None:
    _move_answers_deadline(fair, datetime.now(UTC) - timedelta(minutes=1))
    [due] = _due_here(fair)
    _move_answers_deadline(fair, datetime.now(UTC) + timedelta(days=3))  # moved later meanwhile

    assert deps.get().requests.mark_swept(due, datetime.now(UTC)) is False
    entry = Table(deps.get().requests.table.name).get(
        keys.event_pk(fair.tenant_id, fair.event.event_id), keys.ANSWERS_DEADLINE_SK
    )
    assert entry is not None and entry["GSI1PK"] == keys.ANSWERS_DEADLINES_INDEX
    assert entry["GSI1SK"] != due.sort_key
