"""The shared adapters every area uses (table, audit store, clock), built lazily once per
execution environment; tests may override them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeVar

from salon.kernel.audit_store import AuditStore
from salon.kernel.dynamo import Table
from salon.kernel.settings import Settings, get_settings
from salon.kernel.values import utcnow


@dataclass
class Platform:
    settings: Settings
    table: Table
    audit: AuditStore
    clock: Callable[[], datetime] = field(default=utcnow)


_current: Platform | None = None
_overridden = False


def build(settings: Settings) -> Platform:
    table = Table(settings.table_name)
    return Platform(settings=settings, table=table, audit=AuditStore(Table(settings.audit_table_name)))


def get() -> Platform:
    """The current platform; rebuilt when the environment (hence the settings) changed."""
    global _current
    settings = get_settings()
    if _current is None or (_current.settings != settings and not _overridden):
        _current = build(settings)
    return _current


def override(platform: Platform | None) -> None:
    """Replace (or with ``None`` forget) the platform; used by tests to inject faults."""
    global _current, _overridden
    _current = platform
    _overridden = platform is not None


D = TypeVar("D")


class AreaDeps(Generic[D]):
    """An area's adapters over the platform: built lazily, rebuilt when the platform (hence the
    environment) changes, unless a test overrode them to inject a fault."""

    def __init__(self, build: Callable[[Platform], D]) -> None:
        self._build = build
        self._current: D | None = None
        self._built_on: Platform | None = None
        self._overridden = False

    def get(self) -> D:
        shared = get()
        if self._current is None or (self._built_on is not shared and not self._overridden):
            self._current, self._built_on = self._build(shared), shared
        return self._current

    def override(self, deps: D | None) -> None:
        """Replace (or with ``None`` forget) the dependencies."""
        self._current, self._built_on = deps, None
        self._overridden = deps is not None
