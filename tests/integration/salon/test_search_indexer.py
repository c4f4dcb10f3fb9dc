"""The search indexer against the local cloud: domain events put on its queue (as its EventBridge rule
does) reach its function through the queue mapping; cards are rebuilt from the table, and a rebuild of
the event gives the same results as the events did."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from localcloud import search_rebuild
from salon.kernel.dynamo import Table
from salon.matchmaking.domain.query import CatalogueQuery
from salon.matchmaking.domain.visibility import staff_viewer
from salon.matchmaking.services.indexing import index
from salon.registration.adapters.events_repo import EventsRepository
from salon.registration.adapters.submissions_repo import SubmissionsRepository
from salon.registration.domain.events import Event, EventCreate
from salon.registration.domain.taxonomy import Taxonomy, TaxonomyNode

pytestmark = pytest.mark.integration

LABELS = {"fr": "Emballage", "en": "Packaging"}


def wait_for(check: Callable[[], bool], timeout: float = 45.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the indexer did not get there in time"
        time.sleep(0.05)


@pytest.fixture
def world(cloud: Any) -> dict[str, Any]:
    table = Table(cloud.resources.table_name)
    events, regs = EventsRepository(table), SubmissionsRepository(table)
    tenant_id, now = f"idx-{uuid.uuid4().hex[:8]}", datetime.now(UTC)
    body = EventCreate.model_validate(
        {
            "name": {"fr": "Salon"},
            "time_zone": "UTC",
            "starts_at": now + timedelta(days=30),
            "ends_at": now + timedelta(days=31),
        }
    )
    event = Event(
        event_id=f"evt_{uuid.uuid4().hex}",
        tenant_id=tenant_id,
        created_at=now,
        updated_at=now,
        **body.model_dump(),
    )
    events.create_event(event)
    nodes = [TaxonomyNode.model_validate({"code": "PKG", "labels": LABELS})]
    events.put_taxonomy(tenant_id, Taxonomy(event_id=event.event_id, nodes=nodes, version=1, updated_at=now))
    rid, pid = f"reg_{uuid.uuid4().hex}", f"par_{uuid.uuid4().hex}"
    person = {"participant_id": pid, "registration_id": rid, "event_id": event.event_id, "position": 0}
    person |= {
        "first_name": "Aurélie",
        "last_name": "Dupont",
        "email": "a@x.example",
        "phone": "+33600000000",
    }
    registration = {
        "registration_id": rid,
        "event_id": event.event_id,
        "type": "supplier",
        "state": "submitted",
        "company_name": "Cartons Dupont",
        "country": "FR",
        "participant_ids": [pid],
        "created_at": now.isoformat(),
    }
    regs.create(tenant_id, registration, [person])
    regs.put_profile(tenant_id, rid, {"participant_id": pid, "event_id": event.event_id, "offers": ["PKG"]})
    return {"cloud": cloud, "regs": regs, "tenant_id": tenant_id, "event_id": event.event_id, "rid": rid}


def announce(world: dict[str, Any], detail_type: str) -> None:
    """What the rule delivers: the EventBridge event as the queue's message body."""
    cloud = world["cloud"]
    sqs = cloud.client("sqs")
    url = sqs.get_queue_url(QueueName=cloud.resources.physical_ids["SearchIndexerQueue"].rsplit("/", 1)[-1])
    detail = {
        "tenant_id": world["tenant_id"],
        "dedupe_id": uuid.uuid4().hex,
        "event_id": world["event_id"],
        "registration_id": world["rid"],
    }
    message = {
        "id": uuid.uuid4().hex,
        "detail-type": detail_type,
        "source": "salon.register",
        "time": datetime.now(UTC).isoformat(),
        "detail": detail,
    }
    sqs.send_message(QueueUrl=url["QueueUrl"], MessageBody=json.dumps(message))


def found(world: dict[str, Any], text: str = "") -> list[str]:
    viewer = staff_viewer(world["tenant_id"], world["event_id"], ["supplier", "buyer"])
    return [card.registration_id for card in index().search(CatalogueQuery(q=text), viewer).items]


def test_validation_lists_the_company_and_a_refusal_delists_it(world: dict[str, Any]) -> None:
    regs, tenant_id, rid = world["regs"], world["tenant_id"], world["rid"]
    regs.decide(tenant_id, rid, "submitted", {"state": "validated"})
    announce(world, "registration.validated")

    wait_for(lambda: found(world, "emballages") == [rid])  # the sector's label, stemmed
    card = index().card(rid, staff_viewer(tenant_id, world["event_id"], ["supplier"]))
    assert (
        card is not None
        and "a@x.example" not in card.model_dump_json()
        and "+336" not in card.model_dump_json()
    )

    version = int(regs.bundle(tenant_id, rid).registration["version"])
    regs.update_registration(tenant_id, rid, {"state": "refused"}, expected_version=version)
    announce(world, "registration.refused")
    wait_for(lambda: found(world) == [])


def test_a_rebuild_from_the_table_gives_what_the_events_gave(world: dict[str, Any], capsys: Any) -> None:
    regs, tenant_id, rid = world["regs"], world["tenant_id"], world["rid"]
    regs.decide(tenant_id, rid, "submitted", {"state": "validated"})
    announce(world, "registration.validated")
    wait_for(lambda: found(world) == [rid])
    before = [found(world), found(world, "Dupont"), found(world, "packaging")]
    index().delete(tenant_id, [rid])  # a lost card
    assert found(world) == []

    assert search_rebuild.main([tenant_id, world["event_id"]]) == 0

    assert "1 cards indexed" in capsys.readouterr().out
    assert [found(world), found(world, "Dupont"), found(world, "packaging")] == before
