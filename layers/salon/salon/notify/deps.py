"""The notify area's adapters over the shared platform, built lazily; tests may override."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from salon.kernel.platform import AreaDeps, Platform
from salon.matchmaking.adapters.requests_repo import RequestsRepository
from salon.notify.adapters.deliveries import DeliveryLog, Suppressions
from salon.notify.adapters.mailings import Mailings
from salon.notify.adapters.mobiles import Mobiles
from salon.notify.adapters.people import Directory
from salon.registration.adapters.events_repo import EventsRepository
from salon.scheduling.adapters.agenda_store import AgendaStore


@dataclass
class Deps:
    platform: Platform
    events: EventsRepository
    requests: RequestsRepository
    people: Directory
    log: DeliveryLog
    suppressions: Suppressions
    mobiles: Mobiles
    mailings: Mailings
    agendas: AgendaStore

    @property
    def clock(self) -> Callable[[], datetime]:
        return self.platform.clock


def build(shared: Platform) -> Deps:
    return Deps(
        platform=shared,
        events=EventsRepository(shared.table),
        requests=RequestsRepository(shared.table),
        people=Directory(shared.table),
        log=DeliveryLog(shared.table),
        suppressions=Suppressions(shared.table),
        mobiles=Mobiles(shared.table),
        mailings=Mailings(shared.table),
        agendas=AgendaStore(shared.table),
    )


_deps = AreaDeps(build)
get = _deps.get
override = _deps.override
