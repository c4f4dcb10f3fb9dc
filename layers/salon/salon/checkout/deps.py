"""The checkout area's adapters over the shared platform, built lazily; tests may override."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from salon.checkout.adapters.orders_repo import OrdersRepository
from salon.checkout.adapters.stripe_gateway import StripeGateway
from salon.kernel.platform import AreaDeps, Platform
from salon.kernel.user_links import UserLinks
from salon.registration.adapters.events_repo import EventsRepository


@dataclass
class Deps:
    platform: Platform
    orders: OrdersRepository
    events: EventsRepository
    links: UserLinks
    stripe: StripeGateway

    @property
    def clock(self) -> Callable[[], datetime]:
        return self.platform.clock


def build(shared: Platform) -> Deps:
    return Deps(
        platform=shared,
        orders=OrdersRepository(shared.table),
        events=EventsRepository(shared.table),
        links=UserLinks(shared.table),
        stripe=StripeGateway(),
    )


_deps = AreaDeps(build)
get = _deps.get
override = _deps.override
