"""Participation types (buyer, supplier, ...) and visibility rules between them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from salon.kernel.values import Labels, StrictModel

TypeCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{1,31}$")]


class ParticipationTypeCreate(StrictModel):
    code: TypeCode
    labels: Labels
    can_see: list[TypeCode] = Field(default_factory=list, max_length=50)
    can_request: list[TypeCode] = Field(default_factory=list, max_length=50)
    open_for_registration: bool = True

    @model_validator(mode="after")
    def _request_implies_see(self) -> ParticipationTypeCreate:
        missing = sorted(set(self.can_request) - set(self.can_see))
        if missing:
            raise ValueError(f"can_request must be a subset of can_see (missing {', '.join(missing)})")
        return self


class ParticipationType(ParticipationTypeCreate):
    event_id: str
    created_at: datetime


class TypeSummary(BaseModel):
    model_config = ConfigDict(defer_build=True)

    code: str
    labels: Labels


def may_see(viewer: str, target: str, types: dict[str, ParticipationTypeCreate]) -> bool:
    """Whether a participant of type ``viewer`` may see participants of type ``target``."""
    rule = types.get(viewer)
    return rule is not None and target in rule.can_see


def may_request(requester: str, target: str, types: dict[str, ParticipationTypeCreate]) -> bool:
    """Whether ``requester`` may ask ``target`` for a meeting (implies seeing it)."""
    rule = types.get(requester)
    return rule is not None and target in rule.can_request and target in rule.can_see


def visible_types(viewer: str, types: dict[str, ParticipationTypeCreate]) -> set[str]:
    rule = types.get(viewer)
    return {code for code in rule.can_see if code in types} if rule else set()
