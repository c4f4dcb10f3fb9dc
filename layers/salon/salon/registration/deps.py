"""The registration area's adapters over the shared platform, built lazily; tests may override.

Participant logins (Cognito) are ``salon.registration.logins``: only the review function reaches them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from salon.kernel.platform import AreaDeps, Platform
from salon.kernel.settings import Settings
from salon.registration.adapters.events_repo import EventsRepository
from salon.registration.adapters.registrations_repo import RegistrationsRepository


@dataclass
class Deps:
    platform: Platform
    events: EventsRepository
    registrations: RegistrationsRepository

    @property
    def settings(self) -> Settings:
        return self.platform.settings

    @property
    def clock(self) -> Callable[[], datetime]:
        return self.platform.clock


def build(shared: Platform) -> Deps:
    return Deps(
        platform=shared,
        events=EventsRepository(shared.table),
        registrations=RegistrationsRepository(shared.table),
    )


_deps = AreaDeps(build)
get = _deps.get
override = _deps.override
