"""Staff list an event's registrations and read one (each read of personal data audited)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from salon.kernel.caller import Caller
from salon.kernel.http import Router
from salon.kernel.routes import REGISTRATION_REVIEW
from salon.kernel.values import PageQuery
from salon.registration.domain.registrations import State
from salon.registration.responses import RegistrationDetail, RegistrationPage
from salon.registration.services import review

router = Router(REGISTRATION_REVIEW)


class RegistrationsQuery(PageQuery):
    state: State | None = None
    type: str | None = Field(default=None, max_length=32)
    q: str | None = Field(default=None, max_length=100)
    requalification: Literal["overdue"] | None = None


@router.route("GET /events/{event_id}/registrations", response=RegistrationPage, query=RegistrationsQuery)
def list_registrations(caller: Caller, event_id: str, query: RegistrationsQuery) -> RegistrationPage:
    return review.list_registrations(
        caller,
        event_id,
        state=query.state,
        type_=query.type,
        q=query.q,
        page=query.page(),
        requalification_overdue=query.requalification == "overdue",
    )


@router.route("GET /registrations/{registration_id}", response=RegistrationDetail)
def get_registration(caller: Caller, registration_id: str) -> RegistrationDetail:
    return review.get_registration(caller, registration_id)
