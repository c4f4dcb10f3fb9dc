"""Whom a request is about: a person of one tenant, found by the keyed hash of their e-mail (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Participation:
    """One registration of the person to an event of the tenant (ids only)."""

    participant_id: str
    registration_id: str
    event_id: str
    user_sub: str | None = None
    cognito_username: str | None = None
    locale: str | None = None  # the participant's language of communications

    def as_item(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class Person:
    tenant_id: str
    person_key: str
    email: str | None  # None once the request ended (only the keyed hash stays)
    participations: tuple[Participation, ...] = field(default=())
    request_id: str | None = None  # the request walking the stores (not counted among the person's)

    @property
    def participant_ids(self) -> frozenset[str]:
        return frozenset(p.participant_id for p in self.participations)

    @property
    def registration_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.registration_id for p in self.participations))

    @property
    def event_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.event_id for p in self.participations))

    @property
    def locale(self) -> str | None:
        """The language the person's registrations name (the first that names one), if any."""
        return next((p.locale for p in self.participations if p.locale), None)

    @property
    def user_subs(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.user_sub for p in self.participations if p.user_sub))

    def merged(self, others: tuple[Participation, ...]) -> Person:
        """The person with ``others`` added (a finding's participations survive the erasure)."""
        known = {p.participant_id: p for p in (*others, *self.participations)}
        return Person(self.tenant_id, self.person_key, self.email, tuple(known.values()), self.request_id)

    def limited_to(self, events: list[str] | None) -> Person:
        if not events:
            return self
        kept = tuple(p for p in self.participations if p.event_id in events)
        return Person(self.tenant_id, self.person_key, self.email, kept, self.request_id)
