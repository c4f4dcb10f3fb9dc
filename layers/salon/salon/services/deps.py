"""The adapters a service needs, built lazily once per execution environment; tests may override."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from salon.adapters.audit_repo import AuditRepository
from salon.adapters.dynamo import Table
from salon.adapters.events_repo import EventsRepository
from salon.adapters.identity import CognitoIdentity, Identity
from salon.adapters.publisher import EventBridgePublisher, Publisher
from salon.adapters.registrations_repo import RegistrationsRepository
from salon.domain.common import utcnow
from salon.settings import Settings, get_settings


@dataclass
class Deps:
    settings: Settings
    events: EventsRepository
    registrations: RegistrationsRepository
    audit: AuditRepository
    publisher: Publisher
    identity: Identity
    clock: Callable[[], datetime] = field(default=utcnow)


_current: Deps | None = None
_overridden = False


def build(settings: Settings) -> Deps:
    table = Table(settings.table_name)
    return Deps(
        settings=settings,
        events=EventsRepository(table),
        registrations=RegistrationsRepository(table),
        audit=AuditRepository(table),
        publisher=EventBridgePublisher(settings.event_bus_name),
        identity=CognitoIdentity(settings.user_pool_id),
    )


def get() -> Deps:
    """The current dependencies; rebuilt when the environment (hence the settings) changed."""
    global _current
    settings = get_settings()
    if _current is None or (_current.settings != settings and not _overridden):
        _current = build(settings)
    return _current


def override(deps: Deps | None) -> None:
    """Replace (or with ``None`` forget) the dependencies; used by tests to inject faults."""
    global _current, _overridden
    _current = deps
    _overridden = deps is not None
