"""Meeting requests between two companies of one event: inputs, states, transitions and the send rules.

Pure: the service reads what the rules need (key dates, both companies, the sender's counters and the
caps of its type) and the rules decide; the store then holds, in the write's own transaction, the parts
that concurrency could break (one live request per pair, the caps, the sender type's ``can_request``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints, field_validator, model_validator

from salon.kernel.errors import (
    DuplicateRequest,
    FieldError,
    InvalidTransition,
    LimitReached,
    ValidationFailed,
    WindowClosed,
)
from salon.kernel.values import StrictModel
from salon.matchmaking.domain.catalogue import LISTED_STATE, UNLISTED_ACCOUNTS
from salon.registration.domain.events import KeyDates
from salon.registration.domain.participation_types import TypeCode
from salon.registration.domain.registrations import MAX_PARTICIPANTS

State = Literal["sent", "approved", "refused", "cancelled", "expired"]
Action = Literal["send", "approve", "refuse", "cancel", "expire"]
Decision = Literal["approve", "refuse"]
ActingRole = Literal["participant", "organizer", "staff", "system"]
Priority = Annotated[int, Field(ge=1, le=3)]
Id = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
MESSAGE_MAX = 1000

LIVE_STATES: frozenset[str] = frozenset({"sent", "approved"})  # hold the pair; the others free it

# The state machine: (state, action) -> next state. Who may act is the service's business
# (receiver or staff answer, the sender cancels, the sweep expires).
TRANSITIONS: Mapping[tuple[str, Action], State] = {
    ("sent", "approve"): "approved",
    ("sent", "refuse"): "refused",
    ("sent", "cancel"): "cancelled",
    ("sent", "expire"): "expired",
}

# Each action's window, as key dates: (opens, closes). A missing opening date keeps the action closed
# (the catalogue is not open); a missing closing date leaves it open.
WINDOWS: Mapping[Action, tuple[str, str | None]] = {
    "send": ("catalogue_opens_at", "requests_deadline_at"),
    "approve": ("catalogue_opens_at", "answers_deadline_at"),
    "refuse": ("catalogue_opens_at", "answers_deadline_at"),
    "cancel": ("catalogue_opens_at", "answers_deadline_at"),
}


class RequestInput(StrictModel):
    """What a participant asks (the route's body)."""

    to_registration_id: Id
    from_participant_ids: list[Id] = Field(default_factory=list, max_length=MAX_PARTICIPANTS)
    to_participant_ids: list[Id] = Field(default_factory=list, max_length=MAX_PARTICIPANTS)
    message: Annotated[str, StringConstraints(max_length=MESSAGE_MAX)] = ""
    priority: Priority = 3

    @field_validator("from_participant_ids", "to_participant_ids")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("participant ids must not repeat")
        return value


class AnswerInput(StrictModel):
    decision: Decision
    reason: Annotated[str, StringConstraints(max_length=MESSAGE_MAX)] | None = None


class RequestLimits(StrictModel):
    """Caps of one participation type; None is no cap. Counted over live requests (sent, approved)."""

    max_requests_sent: int | None = Field(default=None, ge=0, le=10_000)
    max_priority_one: int | None = Field(default=None, ge=0, le=10_000)


class MatchmakingRules(StrictModel):
    """The event's meeting-request caps, per participation type (types without an entry are uncapped)."""

    limits: dict[TypeCode, RequestLimits] = Field(default_factory=dict, max_length=50)

    def for_type(self, code: str) -> RequestLimits:
        return self.limits.get(code, RequestLimits())


class Actor(BaseModel):
    """Who acted, and for which participant: the participant themselves, or staff acting for them."""

    sub: str
    role: ActingRole
    participant_id: str | None = None


class MeetingRequest(BaseModel):
    request_id: str
    tenant_id: str
    event_id: str
    from_registration_id: str
    to_registration_id: str
    from_participant_ids: list[str]
    to_participant_ids: list[str]
    message: str = ""
    priority: int
    state: State
    mutual: bool = False
    refusal_reason: str | None = None
    sent_by: Actor
    answered_by: Actor | None = None
    created_at: datetime
    updated_at: datetime
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    version: int = 1

    @model_validator(mode="after")
    def _distinct(self) -> MeetingRequest:
        if self.from_registration_id == self.to_registration_id:
            raise ValueError("a request joins two different companies")
        return self

    def effective_state(self, key_dates: KeyDates, now: datetime) -> State:
        """``sent`` past the answers deadline reads as ``expired`` until the sweep has stored it."""
        deadline = key_dates.answers_deadline_at
        if self.state == "sent" and deadline is not None and now >= deadline:
            return "expired"
        return self.state


def next_state(current: str, action: Action) -> State:
    target = TRANSITIONS.get((current, action))
    if target is None:
        raise InvalidTransition(f"a {current} meeting request does not allow {action}")
    return target


def check_window(action: Action, key_dates: KeyDates, now: datetime) -> None:
    opens_name, closes_name = WINDOWS[action]
    opens = getattr(key_dates, opens_name)
    if opens is None or now < opens:
        raise WindowClosed(f"the catalogue is not open yet ({opens_name})")
    closes = getattr(key_dates, closes_name) if closes_name else None
    if closes is not None and now >= closes:
        raise WindowClosed(f"the deadline has passed ({closes_name})")


@dataclass(frozen=True)
class Company:
    """A registration as the rules see it: its type, state and participants (id -> account status)."""

    registration_id: str
    event_id: str
    type: str
    state: str
    participants: Mapping[str, str] = field(default_factory=dict)

    def attends(self, participant_id: str) -> bool:
        return active(self.participants.get(participant_id))


def active(account_status: str | None) -> bool:
    """A participant who exists and is listed in the catalogue (not deactivated) may meet."""
    return account_status is not None and account_status not in UNLISTED_ACCOUNTS


@dataclass(frozen=True)
class Counts:
    """The sender's live requests: how many it has sent, how many at priority 1."""

    sent: int = 0
    priority_one: int = 0


@dataclass(frozen=True)
class SendContext:
    now: datetime
    key_dates: KeyDates
    sender: Company
    receiver: Company
    counts: Counts
    limits: RequestLimits


def _participant_errors(name: str, ids: list[str], company: Company) -> list[FieldError]:
    return [
        FieldError(f"{name}[{i}]", "not an active participant of that company")
        for i, pid in enumerate(ids)
        if not company.attends(pid)
    ]


SendRule = tuple[str, str, Callable[[SendContext], bool]]

# The rules of a new request, as data: (field at fault, message, holds?). Every failing one is reported.
SEND_RULES: tuple[SendRule, ...] = (
    (
        "to_registration_id",
        "a company cannot request a meeting with itself",
        lambda c: c.receiver.registration_id != c.sender.registration_id,
    ),
    ("to_registration_id", "not a company of this event", lambda c: c.sender.event_id == c.receiver.event_id),
    (
        "from_registration_id",
        "the requesting company is not validated",
        lambda c: c.sender.state == LISTED_STATE,
    ),
    ("to_registration_id", "that company is not validated", lambda c: c.receiver.state == LISTED_STATE),
)


def check_send(ctx: SendContext, body: RequestInput) -> None:
    """Every rule of a new request, in one place: the window (409), the rules and the chosen
    participants (422), the caps (422).

    The caps are checked here against the counts read (a clear answer in the common case) and again by
    the store's conditional counter update, which holds them under concurrency; the sender type's
    ``can_request`` (``may_request``) is held by the store's condition on the type item.
    """
    check_window("send", ctx.key_dates, ctx.now)
    errors = [FieldError(name, message) for name, message, holds in SEND_RULES if not holds(ctx)]
    errors += _participant_errors("from_participant_ids", body.from_participant_ids, ctx.sender)
    errors += _participant_errors("to_participant_ids", body.to_participant_ids, ctx.receiver)
    if errors:
        raise ValidationFailed("the meeting request breaks the event's rules", errors=errors)
    check_caps(ctx.limits, ctx.counts, body.priority)


def check_caps(limits: RequestLimits, counts: Counts, priority: int) -> None:
    if limits.max_requests_sent is not None and counts.sent >= limits.max_requests_sent:
        raise LimitReached(
            f"your participation type may send at most {limits.max_requests_sent} requests",
            errors=[FieldError("to_registration_id", "cap on requests sent reached")],
        )
    if (
        priority == 1
        and limits.max_priority_one is not None
        and counts.priority_one >= limits.max_priority_one
    ):
        raise LimitReached(
            f"your participation type may send at most {limits.max_priority_one} priority-1 requests",
            errors=[FieldError("priority", "cap on priority-1 requests reached")],
        )


@dataclass(frozen=True)
class LiveRequest:
    """The live request of a pair, as its pair item records it."""

    request_id: str
    from_registration_id: str
    state: str


def mutual_or_duplicate(live: LiveRequest, sender_id: str) -> None:
    """A request to a company whose own request to me still waits approves theirs (mutual); anything
    else live between us makes mine a duplicate (409)."""
    if live.state == "sent" and live.from_registration_id != sender_id:
        return
    side = "you" if live.from_registration_id == sender_id else "they"
    raise DuplicateRequest(f"a {live.state} meeting request already joins these companies ({side} asked)")
