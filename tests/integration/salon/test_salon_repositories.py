"""Adapters against the local cloud (moto server provisioned from template.yaml)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from salon.kernel import aws
from salon.kernel.audit_record import AuditRecord
from salon.kernel.audit_store import AuditStore
from salon.kernel.dynamo import ConditionFailed, Put, Table, TransactionCancelled
from salon.kernel.errors import DuplicateEmail, InvalidTransition
from salon.registration.adapters.events_repo import EventsRepository
from salon.registration.adapters.registrations_repo import RegistrationExists, RegistrationsRepository
from salon.registration.domain.events import Event, EventCreate
from salon.registration.domain.forms import Form, FormField
from salon.registration.domain.participation_types import ParticipationType
from salon.registration.domain.taxonomy import Taxonomy, TaxonomyNode

pytestmark = pytest.mark.integration


@pytest.fixture
def table(cloud: Any) -> Table:
    return Table(cloud.resources.table_name)


def new_event(events: EventsRepository, tenant_id: str) -> Event:
    now = datetime.now(UTC)
    body = EventCreate.model_validate(
        {
            "name": {"fr": "Salon"},
            "starts_at": now + timedelta(days=30),
            "ends_at": now + timedelta(days=31),
            "time_zone": "UTC",
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
    return event


def registration(event_id: str, emails: list[str]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    rid = f"reg_{uuid.uuid4().hex}"
    people = [
        {
            "participant_id": f"par_{uuid.uuid4().hex}",
            "registration_id": rid,
            "event_id": event_id,
            "position": i,
            "email": e,
            "account_status": "pending",
        }
        for i, e in enumerate(emails)
    ]
    reg = {
        "registration_id": rid,
        "event_id": event_id,
        "type": "buyer",
        "state": "submitted",
        "company_name": "X",
        "participant_ids": [p["participant_id"] for p in people],
        "created_at": datetime.now(UTC).isoformat(),
    }
    return reg, people


def test_event_is_found_by_its_public_locator(table: Table) -> None:
    events = EventsRepository(table)
    event = new_event(events, "tenant-loc")
    assert events.locate_event(event.event_id) == event
    assert events.get_event("another-tenant", event.event_id) is None


def test_registration_transaction_is_all_or_nothing(table: Table) -> None:
    events, regs = EventsRepository(table), RegistrationsRepository(table)
    event = new_event(events, "tenant-tx")
    reg, people = registration(event.event_id, ["a@x.example", "b@x.example"])
    regs.create("tenant-tx", reg, people)
    with pytest.raises(RegistrationExists):
        regs.create("tenant-tx", reg, people)
    clash, clash_people = registration(event.event_id, ["new@x.example", "B@x.example".lower()])
    with pytest.raises(DuplicateEmail) as caught:
        regs.create("tenant-tx", clash, clash_people)
    assert [e.field for e in caught.value.errors] == ["participants[1].email"]
    assert regs.bundle("tenant-tx", clash["registration_id"]) is None  # nothing of it was written
    counter = table.get(f"T#tenant-tx#EVENT#{event.event_id}", "COUNTER")
    assert counter is not None and counter["registrations"] == 1 and counter["participants"] == 2
    # The same e-mail is fine in another tenant.
    other = new_event(events, "tenant-tx-2")
    reg2, people2 = registration(other.event_id, ["a@x.example"])
    regs.create("tenant-tx-2", reg2, people2)


def test_decisions_are_conditional(table: Table) -> None:
    events, regs = EventsRepository(table), RegistrationsRepository(table)
    event = new_event(events, "tenant-dec")
    reg, people = registration(event.event_id, ["c@x.example"])
    regs.create("tenant-dec", reg, people)
    regs.decide("tenant-dec", reg["registration_id"], "submitted", {"state": "validated"})
    with pytest.raises(InvalidTransition):
        regs.decide("tenant-dec", reg["registration_id"], "submitted", {"state": "refused"})


def test_audit_records_can_never_be_overwritten(table: Table) -> None:
    audit = AuditStore(table)
    record = AuditRecord(
        audit_id=f"aud_{uuid.uuid4().hex}",
        at=datetime.now(UTC),
        tenant_id="tenant-aud",
        actor_id="actor-1",
        actor_role="organizer",
        action="registration.read",
        subject_ids=["reg_1", "par_1"],
        item_types=["registration"],
        fields=["email"],
        purpose="test",
        request_id="r",
    )
    audit.append(record)
    with pytest.raises(TransactionCancelled):
        audit.append(record.model_copy(update={"purpose": "rewritten"}))
    with pytest.raises(ConditionFailed):
        table.put(
            Put(
                {"PK": f"T#tenant-aud#AUDIT#{record.audit_id}", "SK": "AUDIT", "item_type": "audit"},
                "attribute_not_exists(PK)",
            )
        )
    found, _ = audit.by_subject("tenant-aud", "par_1", None, None, 10, None)
    assert [r.purpose for r in found] == ["test"]
    found, _ = audit.by_actor("tenant-aud", "actor-1", None, None, 10, None)
    assert [r.audit_id for r in found] == [record.audit_id]
    assert audit.by_subject("other-tenant", "par_1", None, None, 10, None)[0] == []
    later = datetime.now(UTC) + timedelta(hours=1)
    assert audit.by_subject("tenant-aud", "par_1", later, None, 10, None)[0] == []


def test_event_configuration_is_read_in_one_query(table: Table) -> None:
    events, regs = EventsRepository(table), RegistrationsRepository(table)
    event = new_event(events, "tenant-config")
    now = datetime.now(UTC)
    labels = {"fr": "Acheteur", "en": "Buyer"}
    field = FormField(key="size", type="text", labels=labels)
    events.put_form("tenant-config", Form(event_id=event.event_id, fields=[field], version=1, updated_at=now))
    node = TaxonomyNode(code="MECA", labels=labels)
    events.put_taxonomy(
        "tenant-config", Taxonomy(event_id=event.event_id, nodes=[node], version=1, updated_at=now)
    )
    for code in ("buyer", "supplier"):
        events.create_type(
            "tenant-config",
            ParticipationType(code=code, labels=labels, event_id=event.event_id, created_at=now),
        )
    reg, people = registration(event.event_id, ["c@x.example"])  # an e-mail claim in the same partition
    regs.create("tenant-config", reg, people)
    calls: list[str] = []

    def count(model: Any, **_: Any) -> None:
        calls.append(model.name)

    client_events = aws.dynamodb().meta.client.meta.events
    client_events.register("before-call.dynamodb", count)
    try:
        configuration = events.configuration("tenant-config", event.event_id)
    finally:
        client_events.unregister("before-call.dynamodb", count)
    assert calls == ["Query"]
    assert [f.key for f in configuration.form.fields] == ["size"]
    assert configuration.taxonomy is not None and configuration.taxonomy.codes() == {"MECA"}
    assert sorted(t.code for t in configuration.types) == ["buyer", "supplier"]
