"""Domain events over HTTP: every stored change is announced exactly once to a consumer, even when the
bus is down while the change is made; consumers drop duplicates and dead-letter what keeps failing."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from test_register_support import Tenant, ok, registration_body, tenant

pytestmark = pytest.mark.e2e

IDS = {"tenant_id", "dedupe_id", "event_id", "registration_id", "participant_ids", "type", "actor_id"}


@pytest.fixture
def world(user_factory: Any) -> Tenant:
    return tenant(user_factory, "events")


def submit(api: Any, world: Tenant) -> dict[str, Any]:
    return ok(api.post(f"/events/{world.event_id}/registrations", json=registration_body(people=2)), 201)


def test_submit_and_validate_are_announced_once_each_with_ids_only(
    world: Tenant, api: Any, domain_events: Any
) -> None:
    created = submit(api, world)
    rid = created["registration_id"]
    ok(world.organizer.api.post(f"/registrations/{rid}/decision", json={"decision": "validate"}))

    events = domain_events.about(rid, 2)

    assert sorted(e["detail-type"] for e in events) == ["registration.submitted", "registration.validated"]
    details = {e["detail-type"]: e["detail"] for e in events}
    assert details["registration.submitted"] == {
        "tenant_id": world.tenant_id,
        "dedupe_id": details["registration.submitted"]["dedupe_id"],
        "event_id": world.event_id,
        "registration_id": rid,
        "participant_ids": [p["participant_id"] for p in created["participants"]],
        "type": "buyer",
    }
    assert details["registration.validated"]["actor_id"] == world.organizer.sub
    assert details["registration.submitted"]["dedupe_id"] != details["registration.validated"]["dedupe_id"]
    assert all(set(detail) <= IDS for detail in details.values())
    assert all(e["source"] == "salon.register" for e in events)


def test_a_duplicate_delivery_is_dropped_and_a_failing_event_is_dead_lettered(
    world: Tenant, api: Any, domain_events: Any
) -> None:
    rid = submit(api, world)["registration_id"]
    [submitted] = domain_events.about(rid, 1)

    domain_events.deliver(submitted)  # EventBridge and the relay are at least once
    poison_id = f"reg_poison{uuid.uuid4().hex}"
    poison_detail = {**submitted["detail"], "registration_id": poison_id, "dedupe_id": poison_id}
    poison = {**submitted, "detail": poison_detail}
    domain_events.deliver(poison)

    deadline = time.monotonic() + 15
    dead: list[dict[str, Any]] = []
    while not dead and time.monotonic() < deadline:
        dead += domain_events.dead_letters()
        time.sleep(0.1)
    assert [d["detail"]["registration_id"] for d in dead] == [poison_id]  # after the queue's 2 receives
    assert domain_events.about(rid, 2, timeout=1) == [submitted]
    assert domain_events.about(poison_id, 1, timeout=0) == []


@dataclass
class Bus:
    down: bool = False
    refused: int = 0


@pytest.fixture
def bus(cloud: Any) -> Iterator[Bus]:
    """EventBridge's availability, switchable: while down, PutEvents refuses every entry (InternalFailure),
    as the service does in an incident. An outage cannot be produced in the local cloud otherwise."""
    from moto.events.models import EventsBackend

    state = Bus()
    original = EventsBackend.put_events

    def put_events(self: Any, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if state.down:
            state.refused += len(events)
            return [{"ErrorCode": "InternalFailure", "ErrorMessage": "outage"} for _ in events]
        return original(self, events)

    setattr(EventsBackend, "put_events", put_events)  # noqa: B010
    try:
        yield state
    finally:
        setattr(EventsBackend, "put_events", original)  # noqa: B010


def test_a_decision_made_while_the_bus_is_down_is_announced_once_the_bus_is_back(
    world: Tenant, api: Any, domain_events: Any, bus: Bus
) -> None:
    rid = submit(api, world)["registration_id"]
    assert len(domain_events.about(rid, 1)) == 1
    decision = {"decision": "validate"}
    headers = {"Idempotency-Key": uuid.uuid4().hex}

    bus.down = True
    decided = world.organizer.api.post(f"/registrations/{rid}/decision", json=decision, headers=headers)
    assert decided.status_code == 200, decided.text  # the change is stored with its event: no 503
    deadline = time.monotonic() + 10
    while bus.refused == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert bus.refused >= 1  # the relay tried, and the bus refused
    bus.down = False

    events = domain_events.about(rid, 2)
    assert sorted(e["detail-type"] for e in events) == ["registration.submitted", "registration.validated"]
    retried = world.organizer.api.post(f"/registrations/{rid}/decision", json=decision, headers=headers)
    assert retried.status_code == 200 and retried.json() == decided.json()
    assert len(domain_events.about(rid, 3, timeout=1)) == 2
