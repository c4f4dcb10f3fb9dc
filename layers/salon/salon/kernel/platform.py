"""The shared adapters every area uses (table, audit store, clock), built lazily once per
execution environment; tests may override them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

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
