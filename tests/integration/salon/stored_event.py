"""An event stored straight through the repository in a tenant of its own, a month ahead: the set-up of
the integration tests that need an event and do not care about its rules."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from salon.kernel.dynamo import Table
from salon.registration.adapters.events_repo import EventsRepository
from salon.registration.domain.events import Event, EventCreate


def event_in_a_new_tenant(table: Table) -> Event:
    now = datetime.now(UTC)
    body = EventCreate.model_validate(
        {
            "name": {"fr": "Salon"},
            "starts_at": now + timedelta(days=30),
            "ends_at": now + timedelta(days=31),
            "time_zone": "Europe/Paris",
        }
    )
    event = Event(
        event_id=f"evt_{uuid.uuid4().hex}",
        tenant_id=f"tenant-{uuid.uuid4().hex[:8]}",
        created_at=now,
        updated_at=now,
        **body.model_dump(),
    )
    EventsRepository(table).create_event(event)
    return event
