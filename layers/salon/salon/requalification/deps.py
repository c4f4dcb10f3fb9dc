"""The re-qualification area's adapters over the shared platform, built lazily; tests may override."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from salon.kernel.platform import AreaDeps, Platform
from salon.kernel.user_links import UserLinks
from salon.requalification.adapters.requests_store import RequestsStore


@dataclass
class Deps:
    platform: Platform
    requests: RequestsStore
    links: UserLinks

    @property
    def clock(self) -> Callable[[], datetime]:
        return self.platform.clock


def build(shared: Platform) -> Deps:
    return Deps(platform=shared, requests=RequestsStore(shared.table), links=UserLinks(shared.table))


_deps = AreaDeps(build)
get = _deps.get
override = _deps.override
