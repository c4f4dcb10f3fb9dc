"""A data-subject request: its kinds, deadlines and states (pure)."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from salon.kernel.values import Email, Locale
from salon.registration.domain.participants import MePatch


class Kind(StrEnum):
    ACCESS = "access"
    PORTABILITY = "portability"
    ERASURE = "erasure"
    RESTRICTION = "restriction"
    OBJECTION = "objection"
    RECTIFICATION = "rectification"


EXPORTING = frozenset({Kind.ACCESS, Kind.PORTABILITY})
FLAGGING = frozenset({Kind.RESTRICTION, Kind.OBJECTION})

# The workflow's steps, in order; each is pending, running, done or failed.
STEPS = ("verify", "find", "act", "check", "certify")
ENDED = frozenset({"completed", "failed", "rejected"})

ANSWER_MONTHS = 1  # GDPR art. 12(3): answered within one month of receipt
ERASURE_DAYS = 10  # the organiser's commitment: an erasure is done within 10 days
CLOSE_TO_DUE = timedelta(days=3)  # the template's alarm fires on requests this close to their due date


class DsarInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Kind
    email: Email
    events: list[str] | None = Field(default=None, max_length=100, description="limit to these events")
    note: str = Field(default="", max_length=2000)
    locale: Locale | None = Field(
        default=None, description="the person's language: the archive's field labels come in it first"
    )
    corrections: MePatch | None = Field(
        default=None, description="rectification only: the same fields and validation as PATCH /me"
    )


class VerifyInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    verified: bool
    method: str = Field(min_length=1, max_length=200, description="how the identity was checked")
    reason: str = Field(default="", max_length=2000, description="why the request is rejected")


def _add_month(moment: datetime) -> datetime:
    """The same day of the next month (the month's last day when it has no such day)."""
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    for day in range(moment.day, 27, -1):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    return moment.replace(year=year, month=month, day=min(moment.day, 28))


def due_at(kind: Kind, received_at: datetime) -> datetime:
    """When the answer is due: one month after receipt; an erasure within 10 days."""
    if kind is Kind.ERASURE:
        return received_at + timedelta(days=ERASURE_DAYS)
    return _add_month(received_at)


def overdue_soon(due: datetime, now: datetime) -> bool:
    return due - now <= CLOSE_TO_DUE
