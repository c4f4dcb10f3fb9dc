"""The scheduling area's adapters over the shared platform, built lazily; tests may override."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from salon.kernel.platform import AreaDeps, Platform
from salon.matchmaking.adapters.requests_repo import RequestsRepository
from salon.registration.adapters.events_repo import EventsRepository
from salon.scheduling.adapters.agenda_store import AgendaStore
from salon.scheduling.adapters.calendar_feed_store import CalendarFeedStore
from salon.scheduling.adapters.store import SchedulingStore


@dataclass
class Deps:
    platform: Platform
    store: SchedulingStore
    agendas: AgendaStore
    events: EventsRepository
    requests: RequestsRepository
    calendars: CalendarFeedStore

    @property
    def clock(self) -> Callable[[], datetime]:
        return self.platform.clock


def build(shared: Platform) -> Deps:
    return Deps(
        platform=shared,
        store=SchedulingStore(shared.table),
        agendas=AgendaStore(shared.table),
        events=EventsRepository(shared.table),
        requests=RequestsRepository(shared.table),
        calendars=CalendarFeedStore(shared.table),
    )


_deps = AreaDeps(build)
get = _deps.get
override = _deps.override
