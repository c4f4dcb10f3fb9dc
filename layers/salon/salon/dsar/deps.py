"""The DSAR area's adapters over the shared platform, built lazily; tests may override. The HTTP
function needs the requests only; the workflow's steps also walk the stores (``salon.dsar.walk``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from salon.dsar.adapters.requests_store import RequestsStore
from salon.kernel.platform import AreaDeps, Platform


@dataclass
class Deps:
    platform: Platform
    requests: RequestsStore

    @property
    def clock(self) -> Callable[[], datetime]:
        return self.platform.clock


def build(shared: Platform) -> Deps:
    return Deps(platform=shared, requests=RequestsStore(shared.table))


_deps = AreaDeps(build)
get = _deps.get
override = _deps.override
