"""The matchmaking area's adapters over the shared platform, built lazily; tests may override."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from salon.kernel import platform
from salon.kernel.platform import Platform
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


_current: Deps | None = None
_overridden = False


def build(shared: Platform) -> Deps:
    return Deps(
        platform=shared,
        requests=RequestsRepository(shared.table),
        events=EventsRepository(shared.table),
        links=UserLinks(shared.table),
        registrations=RegistrationsReader(shared.table),
    )


def get() -> Deps:
    """The current dependencies; rebuilt when the platform (hence the environment) changed."""
    global _current
    shared = platform.get()
    if _current is None or (_current.platform is not shared and not _overridden):
        _current = build(shared)
    return _current


def override(deps: Deps | None) -> None:
    """Replace (or with ``None`` forget) the dependencies; used by tests to inject faults."""
    global _current, _overridden
    _current = deps
    _overridden = deps is not None
