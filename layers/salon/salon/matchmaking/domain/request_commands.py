"""The meeting-request use cases' commands and results: ids and states only in what an idempotency
record keeps (never the message or a reason)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from salon.matchmaking.domain.requests import (
    Actor,
    AnswerInput,
    Id,
    MatchmakingRules,
    Priority,
    RequestInput,
    State,
)
from salon.matchmaking.domain.weights import MAX_BOOST

Direction = Literal["sent", "received"]


class Command(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SendMeetingRequest(Command):
    event_id: Id
    request: RequestInput


class SendOnBehalf(Command):
    """Staff send for a company; ``participant_id`` is the person they act for, if one asked them."""

    event_id: Id
    from_registration_id: Id
    participant_id: Id | None = None
    request: RequestInput


class AnswerMeetingRequest(Command):
    request_id: Id
    answer: AnswerInput


class AnswerOnBehalf(Command):
    request_id: Id
    participant_id: Id | None = None
    answer: AnswerInput


class CancelMeetingRequest(Command):
    request_id: Id


class BoostPair(Command):
    event_id: Id
    registration_ids: Annotated[list[Id], Field(min_length=2, max_length=2)]
    boost: Annotated[int, Field(ge=0, le=MAX_BOOST)]

    @model_validator(mode="after")
    def _two(self) -> BoostPair:
        if self.registration_ids[0] == self.registration_ids[1]:
            raise ValueError("a pair joins two different companies")
        return self


class PutRequestLimits(Command):
    """The caps, written over ``version`` (the version they were read at; 0 when there were none)."""

    event_id: Id
    rules: MatchmakingRules
    version: Annotated[int, Field(ge=0)]


class RequestOutcome(BaseModel):
    """What a send or an answer did. ``resolution``: ``created`` (a new request), ``approved_theirs``
    (they had asked me: my request approved theirs, which is now mutual) or ``changed``."""

    request_id: str
    state: State
    mutual: bool
    from_registration_id: str
    to_registration_id: str
    resolution: Literal["created", "approved_theirs", "changed"]


class LimitsOutcome(BaseModel):
    event_id: str
    version: int


class BoostOutcome(BaseModel):
    event_id: str
    registration_ids: list[str]
    boost: int


class RequestView(BaseModel):
    """A request as listed (its effective state; its weight once approved)."""

    request_id: str
    event_id: str
    from_registration_id: str
    to_registration_id: str
    from_participant_ids: list[str]
    to_participant_ids: list[str]
    message: str
    priority: Priority
    state: State
    mutual: bool
    refusal_reason: str | None
    sent_by: Actor
    answered_by: Actor | None
    created_at: datetime
    answered_at: datetime | None
    weight: int


class RequestPage(BaseModel):
    items: list[RequestView]
    next_cursor: str | None


class StaffFilters(BaseModel):
    model_config = ConfigDict(extra="forbid")

    state: State | None = None
    from_registration_id: Id | None = None
    to_registration_id: Id | None = None
    priority: Priority | None = None
    mutual: bool | None = None
