"""An erased person's fresh consent against the local cloud: a held registration stores nothing the
organiser sees; the last consent lifts the tombstones, records the consents and stores the
registration with its event and the lifting's audit record, all or nothing; a second confirmation
changes nothing; an expired or forged link is a 404 and the tombstone stays."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from boto3.dynamodb.conditions import Key
from salon.dsar.adapters.context import StoreContext
from salon.dsar.adapters.coverage import ITEM_HANDLERS
from salon.dsar.adapters.requests_store import RequestsStore
from salon.dsar.domain.person import Participation, Person
from salon.kernel import keys, platform
from salon.kernel.caller import Caller
from salon.kernel.dynamo import Table
from salon.kernel.errors import Conflict, DuplicateEmail, NotFound
from salon.kernel.outbox import dedupe_id
from salon.kernel.person_key import person_key
from salon.kernel.values import iso
from salon.registration.adapters.submissions_repo import ErasedParticipants, SubmissionsRepository
from salon.registration.services import consent
from stored_event import event_in_a_new_tenant

pytestmark = pytest.mark.integration

NOW = datetime.now(UTC).replace(microsecond=0)


def _person(rid: str, eid: str, position: int, name: str) -> dict[str, Any]:
    return {
        "participant_id": f"par_{uuid.uuid4().hex}",
        "registration_id": rid,
        "event_id": eid,
        "position": position,
        "first_name": name,
        "last_name": "Doe",
        "email": f"{name.lower()}-{uuid.uuid4().hex[:8]}@company.example",
        "locale": "en",
        "account_status": "none",
        "created_at": iso(NOW),
    }


@pytest.fixture
def world(cloud: Any) -> dict[str, Any]:
    """A held registration of three people, Ada and Bea erased at their request, Cy not."""
    table = Table(cloud.resources.table_name)
    event = event_in_a_new_tenant(table)
    t, eid, rid = event.tenant_id, event.event_id, f"reg_{uuid.uuid4().hex}"
    people = [_person(rid, eid, i, name) for i, name in enumerate(("Ada", "Bea", "Cy"))]
    for erased in people[:2]:
        RequestsStore(table).put_tombstone(t, person_key(t, erased["email"]), "dsar_1", iso(NOW))
    sheet = {
        "registration_id": rid,
        "event_id": eid,
        "type": "buyer",
        "state": "submitted",
        "locale": "en",
        "company_name": "Doe Ltd",
        "participant_ids": [p["participant_id"] for p in people],
        "completeness": 100,
        "created_at": iso(NOW),
    }
    with pytest.raises(ErasedParticipants) as erased:
        SubmissionsRepository(table).create(t, sheet, people)
    assert erased.value.positions == [0, 1]
    consent.hold(t, sheet, people, [0, 1], NOW)
    return {"table": table, "tenant_id": t, "event_id": eid, "rid": rid, "people": people, "sheet": sheet}


def _token(world: dict[str, Any], person: dict[str, Any]) -> str:
    link = consent.consent_link(world["tenant_id"], world["rid"], person["participant_id"])
    assert link is not None
    return link[0].rsplit("/consents/", 1)[1]


def _state(world: dict[str, Any]) -> dict[str, Any]:
    """What the consent may change: the stored sheet, the organiser's index, the tombstones, the held
    sheet, the announcement and the lifting's audit record."""
    table, t, rid = world["table"], world["tenant_id"], world["rid"]
    listed = table.query_all(Key("GSI1PK").eq(keys.registrations_index(t, world["event_id"])), index="GSI1")
    audited, _ = platform.get().audit.by_subject(t, rid, None, None, 10, None)
    return {
        "sheet": table.get(keys.registration_pk(t, rid), keys.REGISTRATION_SK),
        "listed": [i["registration_id"] for i in listed],
        "tombstones": [
            table.get(keys.person_pk(t, person_key(t, p["email"])), keys.TOMBSTONE_SK) is not None
            for p in world["people"]
        ],
        "held": table.get(keys.registration_pk(t, rid), keys.HELD_REGISTRATION_SK) is not None,
        "announced": table.get(keys.outbox_pk(t, dedupe_id(t, rid, "submitted")), keys.OUTBOX_SK) is not None,
        "lifting": [r.action for r in audited],
    }


NOTHING_STORED = {
    "sheet": None,
    "listed": [],
    "tombstones": [True, True, False],
    "held": True,
    "announced": False,
    "lifting": [],
}


def test_the_last_consent_lifts_records_and_stores_in_one_go_and_a_second_changes_nothing(
    world: dict[str, Any],
) -> None:
    ada, bea, cy = world["people"]
    assert _state(world) == NOTHING_STORED
    assert consent.consent_link(world["tenant_id"], world["rid"], cy["participant_id"]) is None
    ada_token, bea_token = _token(world, ada), _token(world, bea)

    first = consent.confirm(Caller(None, "req-1"), ada_token)
    assert first.state == "awaiting_consent"
    assert _state(world) == NOTHING_STORED  # Bea has not consented: nothing lifted, nothing stored
    assert consent.consent_link(world["tenant_id"], world["rid"], ada["participant_id"]) is None

    last = consent.confirm(Caller(None, "req-2"), bea_token)

    assert (last.registration_id, last.state) == (world["rid"], "submitted")
    after = _state(world)
    assert after["listed"] == [world["rid"]] and after["tombstones"] == [False, False, False]
    assert (after["held"], after["announced"], after["lifting"]) == (False, True, ["tombstone.lift"])
    t, rid = world["tenant_id"], world["rid"]
    stored = {
        p["participant_id"]: p for p in SubmissionsRepository(world["table"]).bundle(t, rid).participants
    }  # type: ignore[union-attr]
    assert set(stored) == {p["participant_id"] for p in world["people"]}
    assert "consented_at" in stored[ada["participant_id"]] and "consented_at" in stored[bea["participant_id"]]
    assert "consented_at" not in stored[cy["participant_id"]]
    [record], _ = platform.get().audit.by_subject(t, rid, None, None, 10, None)
    assert set(record.subject_ids) == {rid, ada["participant_id"], bea["participant_id"]}
    assert not any(p["email"] in record.model_dump_json() for p in world["people"])  # no e-mail in it

    again = consent.confirm(Caller(None, "req-3"), bea_token)
    assert again == last and _state(world) == after
    assert consent.confirm(Caller(None, "req-4"), ada_token) == last
    assert consent.consent_link(t, rid, bea["participant_id"]) is None  # the sheet no longer waits


def test_the_held_sheet_claims_its_emails_in_the_event_as_any_registration(world: dict[str, Any]) -> None:
    _, bea, cy = world["people"]
    t = world["tenant_id"]
    other = {**world["sheet"], "registration_id": f"reg_{uuid.uuid4().hex}", "participant_ids": ["par_x"]}
    for taken in (bea, cy):  # an erased person's e-mail or a colleague's: refused the same way
        person = {**taken, "participant_id": "par_x", "registration_id": other["registration_id"]}
        with pytest.raises(DuplicateEmail) as refused:
            SubmissionsRepository(world["table"]).create(t, other, [person])
        assert [e.field for e in refused.value.errors] == ["participants[0].email"]
    assert _state(world) == NOTHING_STORED


def test_a_release_that_fails_leaves_the_tombstones_and_the_held_sheet_as_they_were(
    world: dict[str, Any],
) -> None:
    ada, bea, cy = world["people"]
    consent.confirm(Caller(None, "req-1"), _token(world, ada))
    t = world["tenant_id"]
    RequestsStore(world["table"]).put_tombstone(t, person_key(t, cy["email"]), "dsar_2", iso(NOW))
    before = _state(world)  # Cy erased meanwhile: the sheet cannot be stored as it stands

    with pytest.raises(Conflict, match="erased meanwhile"):
        consent.confirm(Caller(None, "req-2"), _token(world, bea))

    assert _state(world) == before and before["tombstones"] == [True, True, True]
    assert before["held"] and before["lifting"] == [] and before["sheet"] is None


def test_an_expired_or_forged_link_is_not_found_and_the_tombstones_stay(world: dict[str, Any]) -> None:
    ada, _, _ = world["people"]
    token = _token(world, ada)
    real = platform.get()
    platform.override(replace(real, clock=lambda: NOW + timedelta(days=7, seconds=5)))
    try:
        with pytest.raises(NotFound):
            consent.confirm(Caller(None, "req-1"), token)
    finally:
        platform.override(None)
    with pytest.raises(NotFound):
        consent.confirm(Caller(None, "req-2"), token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    assert _state(world) == NOTHING_STORED


def test_an_erasure_finds_the_held_sheet_exports_only_the_persons_entry_and_deletes_it(
    cloud: Any, world: dict[str, Any]
) -> None:
    ada, bea, _ = world["people"]
    token = _token(world, bea)
    t, rid = world["tenant_id"], world["rid"]
    bea_key = person_key(t, bea["email"])
    claims = world["table"].query_all(Key("GSI1PK").eq(keys.person_pk(t, bea_key)), index="GSI1")
    assert [(c["registration_id"], c["participant_id"]) for c in claims] == [(rid, bea["participant_id"])]
    person = Person(t, bea_key, None, (Participation(bea["participant_id"], rid, world["event_id"]),))
    context = StoreContext(world["table"], Table(cloud.resources.audit_table_name), "", lambda: None)  # type: ignore[arg-type, return-value]
    handler = ITEM_HANDLERS["held_registration"]

    [exported] = handler.export(context, person)
    assert [p["email"] for p in exported["held_participants"]] == [bea["email"]]  # never a colleague's
    assert ada["email"] not in str(exported)
    handler.erase(context, person, handler.find(context, person) or [])

    assert handler.find(context, person) == [] and not _state(world)["held"]
    with pytest.raises(NotFound):
        consent.confirm(Caller(None, "req-1"), token)
