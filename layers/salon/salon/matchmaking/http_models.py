"""The meeting-request routes' bodies, query strings and responses, with the examples the OpenAPI
document shows (a test checks each example against its model)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field

from salon.kernel.spreadsheets import Separator
from salon.kernel.values import Locale, Page, StrictModel
from salon.matchmaking.domain.request_commands import Direction, StaffFilters
from salon.matchmaking.domain.requests import (
    AnswerInput,
    Id,
    MatchmakingRules,
    RequestInput,
    RequestLimits,
    State,
)
from salon.matchmaking.domain.weights import MAX_BOOST

CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SendBody(RequestInput):
    """A request; organisers and staff name the company they act for (and, if one asked, its person)."""

    on_behalf_of_registration_id: Id | None = None
    on_behalf_of_participant_id: Id | None = None

    def request(self) -> RequestInput:
        return RequestInput.model_validate(
            self.model_dump(exclude={"on_behalf_of_registration_id", "on_behalf_of_participant_id"})
        )


class AnswerBody(AnswerInput):
    on_behalf_of_participant_id: Id | None = None

    def answer(self) -> AnswerInput:
        return AnswerInput.model_validate(self.model_dump(exclude={"on_behalf_of_participant_id"}))


class LimitsBody(StrictModel):
    limits: dict[str, RequestLimits] = Field(default_factory=dict, max_length=50)
    version: Annotated[int, Field(ge=0)]

    def rules(self) -> MatchmakingRules:
        return MatchmakingRules.model_validate({"limits": self.model_dump()["limits"]})


class LimitsOut(BaseModel):
    event_id: str
    limits: dict[str, RequestLimits]
    version: int


class BoostBody(StrictModel):
    boost: Annotated[int, Field(ge=0, le=MAX_BOOST)]


class PageQuery(BaseModel):
    limit: int = Field(default=25, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=2048)

    def page(self) -> Page:
        return Page(limit=self.limit, cursor=self.cursor)


class MineQuery(PageQuery):
    direction: Direction
    state: State | None = None
    event_id: Id | None = None


class StaffQuery(PageQuery):
    state: State | None = None
    from_registration_id: Id | None = None
    to_registration_id: Id | None = None
    priority: int | None = Field(default=None, ge=1, le=3)
    mutual: bool | None = None
    # Exports only: the CSV separator (";" for Excel in French) and the language of headers and states.
    separator: Separator = ","
    locale: Locale = "en"

    def filters(self) -> StaffFilters:
        return StaffFilters.model_validate(
            self.model_dump(
                include={"state", "from_registration_id", "to_registration_id", "priority", "mutual"}
            )
        )


Json = dict[str, Any]
SEND: Json = {
    "to_registration_id": "reg_2f0c1d9e8b7a4c3d",
    "from_participant_ids": ["par_1a2b3c4d"],
    "to_participant_ids": [],
    "message": "Nous cherchons un fournisseur d'emballages recyclables.",
    "priority": 1,
}
ANSWER: Json = {"decision": "refuse", "reason": "Agenda complet ce jour-là."}
LIMITS: Json = {"limits": {"buyer": {"max_requests_sent": 30, "max_priority_one": 5}}, "version": 0}
BOOST: Json = {"boost": 20}
