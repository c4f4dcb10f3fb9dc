"""An organiser's event over HTTP, a month ahead, with a participation type of buyers who see each other:
the set-up of the tests that need an event and do not care about its rules."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from scheduling_world import NOW


def buyer_event(organizer: Any) -> str:
    created = organizer.api.post(
        "/events",
        json={
            "name": {"fr": "Salon"},
            "starts_at": (NOW + timedelta(days=30)).isoformat(),
            "ends_at": (NOW + timedelta(days=31)).isoformat(),
            "time_zone": "Europe/Paris",
        },
    )
    assert created.status_code == 201, created.text
    event_id = str(created.json()["event_id"])
    made = organizer.api.post(
        f"/events/{event_id}/types",
        json={"code": "buyer", "labels": {"fr": "acheteur", "en": "buyer"}, "can_see": ["buyer"]},
    )
    assert made.status_code == 201, made.text
    return event_id
