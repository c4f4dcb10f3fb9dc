"""Adapters against the local cloud (moto server provisioned from template.yaml)."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from boto3.dynamodb.conditions import Key
from salon.kernel import aws
from salon.kernel.audit_record import AuditRecord
from salon.kernel.audit_store import AuditStore
from salon.kernel.dynamo import ConditionFailed, Table, TransactionCancelled
from salon.kernel.errors import Conflict, DuplicateEmail, InvalidTransition
from salon.kernel.person_key import person_key
from salon.registration import deps
from salon.registration.adapters.events_repo import EventsRepository
from salon.registration.adapters.registrations_repo import Bundle
from salon.registration.adapters.submissions_repo import RegistrationExists, SubmissionsRepository
from salon.registration.domain.events import Event, EventCreate
from salon.registration.domain.forms import Form, FormField
from salon.registration.domain.participation_types import ParticipationType
from salon.registration.domain.registrations import Profile, completeness
from salon.registration.domain.taxonomy import Taxonomy, TaxonomyNode
from salon.registration.services.completion import refresh

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
    events, regs = EventsRepository(table), SubmissionsRepository(table)
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
    assert table.get(f"T#tenant-tx#EVENT#{event.event_id}", "COUNTER") is None  # no counter item any more
    # The same e-mail is fine in another tenant.
    other = new_event(events, "tenant-tx-2")
    reg2, people2 = registration(other.event_id, ["a@x.example"])
    regs.create("tenant-tx-2", reg2, people2)


def test_decisions_are_conditional(table: Table) -> None:
    events, regs = EventsRepository(table), SubmissionsRepository(table)
    event = new_event(events, "tenant-dec")
    reg, people = registration(event.event_id, ["c@x.example"])
    regs.create("tenant-dec", reg, people)
    regs.decide("tenant-dec", reg["registration_id"], "submitted", {"state": "validated"})
    with pytest.raises(InvalidTransition):
        regs.decide("tenant-dec", reg["registration_id"], "submitted", {"state": "refused"})


@pytest.fixture
def audit_store(cloud: Any) -> AuditStore:
    return AuditStore(Table(cloud.resources.audit_table_name))


def audit_record(tenant_id: str, actor_id: str, subjects: list[str], **changes: Any) -> AuditRecord:
    fields: dict[str, Any] = {
        "audit_id": f"aud_{uuid.uuid4().hex}",
        "at": datetime.now(UTC),
        "tenant_id": tenant_id,
        "actor_id": actor_id,
        "actor_role": "organizer",
        "action": "registration.read",
        "subject_ids": subjects,
        "item_types": ["registration"],
        "fields": ["email"],
        "purpose": "test",
        "request_id": "r",
    }
    return AuditRecord.model_validate({**fields, **changes})


def test_audit_records_can_never_be_overwritten(audit_store: AuditStore) -> None:
    record = audit_record("tenant-aud", "actor-1", ["reg_1", "par_1"])
    audit_store.append(record)
    with pytest.raises(ConditionFailed):
        audit_store.append(record.model_copy(update={"purpose": "rewritten"}))
    _record, *index = audit_store.puts(record.model_copy(update={"purpose": "rewritten"}))
    with pytest.raises(TransactionCancelled):
        audit_store.table.transact(index)
    found, _ = audit_store.by_subject("tenant-aud", "par_1", None, None, 10, None)
    assert [r.purpose for r in found] == ["test"]
    found, _ = audit_store.by_actor("tenant-aud", "actor-1", None, None, 10, None)
    assert [r.audit_id for r in found] == [record.audit_id]
    assert audit_store.by_subject("other-tenant", "par_1", None, None, 10, None)[0] == []
    assert audit_store.by_actor("other-tenant", "actor-1", None, None, 10, None)[0] == []
    later = datetime.now(UTC) + timedelta(hours=1)
    assert audit_store.by_subject("tenant-aud", "par_1", later, None, 10, None)[0] == []


def test_audit_trail_is_read_by_subject_and_actor_newest_first_page_by_page(audit_store: AuditStore) -> None:
    tenant, actor = f"tenant-{uuid.uuid4().hex[:8]}", f"actor-{uuid.uuid4().hex[:8]}"
    start = datetime.now(UTC) - timedelta(minutes=10)
    written = [
        audit_record(tenant, actor, ["reg_p", f"par_{i}"], at=start + timedelta(minutes=i)) for i in range(5)
    ]
    for record in written:
        audit_store.append(record)
    newest_first = [r.audit_id for r in reversed(written)]
    for read in (
        lambda cursor: audit_store.by_subject(tenant, "reg_p", None, None, 2, cursor),
        lambda cursor: audit_store.by_actor(tenant, actor, None, None, 2, cursor),
    ):
        pages: list[list[str]] = []
        cursor: str | None = None
        while True:
            page, cursor = read(cursor)
            pages.append([r.audit_id for r in page])
            if cursor is None:
                break
        assert [a for page in pages for a in page] == newest_first
        assert all(len(page) <= 2 for page in pages)
    window, _ = audit_store.by_subject(
        tenant, "reg_p", start + timedelta(minutes=1), start + timedelta(minutes=3), 10, None
    )
    assert [r.audit_id for r in window] == newest_first[1:4]
    assert [r.subject_ids for r in audit_store.by_subject(tenant, "par_3", None, None, 10, None)[0]] == [
        ["reg_p", "par_3"]
    ]


def test_a_change_and_its_audit_record_are_written_together(table: Table, audit_store: AuditStore) -> None:
    events, regs = EventsRepository(table), SubmissionsRepository(table)
    tenant = "tenant-atomic"
    event = new_event(events, tenant)
    reg, people = registration(event.event_id, ["atomic@x.example"])
    regs.create(tenant, reg, people)
    rid, pid = reg["registration_id"], people[0]["participant_id"]
    record = audit_record(tenant, "actor-atomic", [rid, pid], action="registration.decide")
    regs.decide(tenant, rid, "submitted", {"state": "validated"}, also=audit_store.puts(record))
    assert [r.audit_id for r in audit_store.by_subject(tenant, pid, None, None, 10, None)[0]] == [
        record.audit_id
    ]
    refused = audit_record(tenant, "actor-atomic", [rid, pid], action="registration.decide")
    with pytest.raises(InvalidTransition):  # the change fails: its record is not written either
        regs.decide(tenant, rid, "submitted", {"state": "refused"}, also=audit_store.puts(refused))
    assert [r.audit_id for r in audit_store.by_actor(tenant, "actor-atomic", None, None, 10, None)[0]] == [
        record.audit_id
    ]
    with pytest.raises(Conflict):  # the record cannot be written: the change is not made either
        regs.update_participant(
            tenant, rid, pid, {"account_status": "deactivated"}, also=audit_store.puts(record)
        )
    bundle = regs.bundle(tenant, rid)
    assert bundle is not None and bundle.participants[0]["account_status"] == "pending"


def test_event_configuration_is_read_in_one_query(table: Table) -> None:
    events, regs = EventsRepository(table), SubmissionsRepository(table)
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


def test_email_claims_are_keyed_by_the_tenant_keyed_hash(table: Table) -> None:
    events, regs = EventsRepository(table), SubmissionsRepository(table)
    event = new_event(events, "tenant-claim")
    reg, people = registration(event.event_id, ["Claim@X.example"])
    regs.create("tenant-claim", reg, people)
    claims = table.query_all(
        Key("PK").eq(f"T#tenant-claim#EVENT#{event.event_id}") & Key("SK").begins_with("EMAIL#"),
        consistent=True,
    )
    assert [c["SK"] for c in claims] == [f"EMAIL#{person_key('tenant-claim', 'claim@x.example')}"]
    plain = hashlib.sha256(b"tenant-claim\x00claim@x.example").hexdigest()
    assert claims[0]["SK"] != f"EMAIL#{plain}"
    assert person_key("tenant-claim", "claim@x.example") != person_key("another-tenant", "claim@x.example")


@pytest.mark.parametrize("what", ["form", "taxonomy"])
def test_configuration_writes_from_the_same_read_version_one_wins(table: Table, what: str) -> None:
    events = EventsRepository(table)
    event = new_event(events, "tenant-cfg-race")
    labels = {"fr": "Taille", "en": "Size"}
    now = datetime.now(UTC)

    def write(version: int, key: str) -> None:
        if what == "form":
            fields = [FormField(key=key, type="text", labels=labels)]
            events.put_form("tenant-cfg-race", Form(event_id=event.event_id, fields=fields, version=version))
        else:
            nodes = [TaxonomyNode(code=key.upper(), labels=labels)]
            events.put_taxonomy(
                "tenant-cfg-race",
                Taxonomy(event_id=event.event_id, nodes=nodes, version=version, updated_at=now),
            )

    write(1, "first")
    write(2, "alice")  # both edited version 1...
    with pytest.raises(Conflict):
        write(2, "bob")  # ...and the second one finds version 2 stored
    with pytest.raises(Conflict):
        write(1, "again")  # version 1 exists already: no blind re-creation either
    if what == "form":
        assert [f.key for f in events.get_form("tenant-cfg-race", event.event_id).fields] == ["alice"]
    else:
        taxonomy = events.get_taxonomy("tenant-cfg-race", event.event_id)
        assert taxonomy is not None and taxonomy.codes() == {"ALICE"}


class ChangedWhileRefreshing(SubmissionsRepository):
    """The first read of a bundle is followed, before the refresh writes, by another actor's change:
    a profile filled in and the registration's own refresh landing first (version bumped)."""

    def __init__(self, table: Table, profile: dict[str, Any]) -> None:
        super().__init__(table)
        self.profile = profile
        self.reads = 0

    def bundle(self, tenant_id: str, registration_id: str) -> Bundle | None:
        found = super().bundle(tenant_id, registration_id)
        self.reads += 1
        if self.reads == 1 and found is not None:
            self.put_profile(tenant_id, registration_id, self.profile)
            version = int(found.registration["version"])
            self.update_registration(tenant_id, registration_id, {}, expected_version=version)
        return found


def test_a_stale_completeness_never_overwrites_a_fresher_one(table: Table) -> None:
    events = EventsRepository(table)
    event = new_event(events, "tenant-refresh")
    reg, people = registration(event.event_id, ["r@x.example"])
    reg.update(version=1, completeness=0, search_text="")
    pid = people[0]["participant_id"]
    profile = {"participant_id": pid, "event_id": event.event_id, "needs": ["A"], "offers": ["B"]}
    racing = ChangedWhileRefreshing(table, profile)
    racing.create("tenant-refresh", reg, people)
    real = deps.get()
    deps.override(replace(real, events=events, registrations=racing))
    try:
        refresh("tenant-refresh", reg["registration_id"])
    finally:
        deps.override(None)
    assert racing.reads == 2  # the conditional write failed once, the refresh re-read
    stored = racing.bundle("tenant-refresh", reg["registration_id"])
    assert stored is not None
    fresh = completeness([], {"name": "X"}, stored.participants, {pid: Profile.model_validate(profile)})
    stale = completeness([], {"name": "X"}, stored.participants, {})
    assert stored.registration["completeness"] == fresh > stale
    assert stored.registration["version"] == 3
    with pytest.raises(Conflict):
        racing.update_registration("tenant-refresh", reg["registration_id"], {}, expected_version=1)
