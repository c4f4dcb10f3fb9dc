"""The matchmaking area's adapters over the shared platform, built lazily; tests may override."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from salon.kernel.platform import AreaDeps, Platform
from salon.kernel.user_links import UserLinks
from salon.matchmaking.adapters.requests_repo import RequestsRepository
from salon.registration.adapters.events_repo import EventsRepository
from salon.registration.adapters.registrations_reader import RegistrationsReader


@dataclass
class Deps:
    platform: Platform
    requests: RequestsRepository
    events: EventsRepository
    links: UserLinks
    registrations: RegistrationsReader

    @property
    def clock(self) -> Callable[[], datetime]:
        return self.platform.clock


def build(shared: Platform) -> Deps:
    return Deps(
        platform=shared,
        requests=RequestsRepository(shared.table),
        events=EventsRepository(shared.table),
        links=UserLinks(shared.table),
        registrations=RegistrationsReader(shared.table),
    )


_deps = AreaDeps(build)
get = _deps.get
override = _deps.override
