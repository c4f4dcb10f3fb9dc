"""Data-subject requests over HTTP: the DPO submits, verifies, and reads the outcome of each kind of
request, run by the real state machine (ASL) of the local cloud and its step functions."""

from __future__ import annotations

import io
import json
import time
import uuid
import zipfile
from datetime import timedelta
from typing import Any

import pytest
import requests
from archive_fields import covered_fields
from boto3.dynamodb.conditions import Key
from checkout_world import BILLING
from dsar_world import ENDED, run, submit, wait
from event_world import buyer_event
from localcloud.invoice_samples import SELLER
from localcloud.sweep import run_sweep
from salon.dsar import walk
from salon.dsar.adapters.handlers import Handler, NotSearchable
from salon.dsar.adapters.requests_store import RequestsStore
from salon.kernel import keys
from salon.kernel.dynamo import Item, Table
from salon.kernel.registry import Erasure
from salon.kernel.values import iso, parse_iso
from salon.registration.adapters.submissions_repo import ErasedParticipants, SubmissionsRepository
from salon.scheduling.adapters.store import SchedulingStore
from scheduling_world import NOW

pytestmark = pytest.mark.e2e


@pytest.fixture
def world(cloud: Any, user_factory: Any) -> dict[str, Any]:
    """A tenant with one event: three companies of one person each, one of two; every person has a
    login (username p:<tenant>:<e-mail>), and the tenant a DPO."""
    tenant_id = f"tenant-{uuid.uuid4().hex[:8]}"
    organizer = user_factory("organizer", tenant_id)
    event_id = buyer_event(organizer)
    table = Table(cloud.resources.table_name)
    regs = SubmissionsRepository(table)
    people: dict[str, dict[str, Any]] = {}

    def company(name: str, members: list[str]) -> None:
        rid = f"reg_{uuid.uuid4().hex}"
        rows = []
        for position, member in enumerate(members):
            user = user_factory("participant", tenant_id)
            pid = f"par_{uuid.uuid4().hex}"
            rows.append(
                {
                    "participant_id": pid,
                    "registration_id": rid,
                    "event_id": event_id,
                    "position": position,
                    "email": user.email,
                    "account_status": "active",
                    "first_name": member,
                    "last_name": f"Of {name}",
                    "locale": "en",
                    "user_sub": user.sub,
                    "cognito_username": user.username,
                }
            )
            people[member] = {
                "participant_id": pid,
                "registration_id": rid,
                "user": user,
                "email": user.email,
            }
        regs.create(
            tenant_id,
            {
                "registration_id": rid,
                "event_id": event_id,
                "type": "buyer",
                "state": "validated",
                "company_name": name,
                "participant_ids": [r["participant_id"] for r in rows],
                "created_at": NOW.isoformat(),
            },
            rows,
        )
        for row in rows:
            regs.link_user(tenant_id, people[row["first_name"]]["user"].sub, row)

    company("Ada Ltd", ["Ada"])
    company("Bob Ltd", ["Bob"])
    company("Duo Ltd", ["Carol", "Dan"])
    return {
        "tenant_id": tenant_id,
        "event_id": event_id,
        "people": people,
        "dpo": user_factory("dpo", tenant_id),
        "organizer": organizer,
        "table": table,
        "regs": regs,
    }


def _counts(request: dict[str, Any], which: str) -> dict[str, int | None]:
    return {s["target"]: s[which] for s in request["stores"]}


def _partition(table: Table, pk: str) -> list[Item]:
    return table.query_all(Key("PK").eq(pk), consistent=True)


def _snapshot(world: dict[str, Any], name: str) -> list[Item]:
    """Everything the table holds of a person's company and of the event."""
    t, p = world["tenant_id"], world["people"][name]
    return [
        *_partition(world["table"], keys.registration_pk(t, p["registration_id"])),
        *_partition(world["table"], keys.user_pk(t, p["user"].sub)),
    ]


def test_an_access_request_exports_every_store_with_data_in_an_archive(world: dict[str, Any]) -> None:
    dpo, bob = world["dpo"], world["people"]["Bob"]
    made = submit(dpo, "access", bob["email"])
    assert made["status"] == "received" and made["due_at"] > NOW.isoformat()
    wait(dpo, made["dsar_id"], ("awaiting_verification",))
    verified = dpo.api.post(
        f"/dsar/{made['dsar_id']}/verify", json={"verified": True, "method": "video call"}
    )
    assert verified.status_code == 200, verified.text
    done = wait(dpo, made["dsar_id"], ENDED)
    assert done["status"] == "completed", done
    assert set(done["steps"].values()) == {"done"}
    before = _counts(done, "before")
    assert before["SalonTable/participant"] == 1
    assert before["SalonTable/email_claim"] == 1
    assert before["SalonTable/registration"] == 1
    assert before["SalonTable/user_link"] == 1
    assert before["UserPool"] == 1
    assert before["IdempotencyTable"] is None  # not searchable by person: said, not guessed
    archive = zipfile.ZipFile(io.BytesIO(requests.get(done["export_url"], timeout=30).content))
    participant = json.loads(archive.read("SalonTable.participant.json"))
    assert participant[0]["email"] == bob["email"] and "PK" not in participant[0]
    assert bob["email"] in archive.read("SalonTable.participant.csv").decode()
    assert "SalonTable.meeting.json" not in archive.namelist()  # stores without data: no file
    fields = covered_fields(archive)
    email = next(f for f in fields if (f["file"], f["field"]) == ("SalonTable.participant.csv", "email"))
    assert (email["category_en"], email["retention_fr"]) == (
        "contact details",
        "36 mois après la fin de l'événement",
    )
    assert list(email)[2:4] == ["label_en", "label_fr"]  # Bob registered in English
    readme = archive.read("README.md").decode()
    assert readme.index("## English") < readme.index("## Français")
    assert done["certificate"]["exported"] is True
    assert requests.get(done["certificate_pdf_url"], timeout=30).content.startswith(b"%PDF")
    audited = world["dpo"].api.get("/audit", params={"subject_id": bob["participant_id"]})
    assert audited.status_code == 200, audited.text
    assert "dsar.export" in {r["action"] for r in audited.json()["items"]}


def test_an_erasure_leaves_no_residue_and_nobody_else_changes(world: dict[str, Any]) -> None:
    dpo, people, t = world["dpo"], world["people"], world["tenant_id"]
    others = {name: _snapshot(world, name) for name in ("Bob",)}
    made = submit(dpo, "erasure", people["Carol"]["email"])
    assert made["due_at"] < (NOW + timedelta(days=400)).isoformat()
    done = run(dpo, "erasure", people["Ada"]["email"])
    assert done["status"] == "completed", done
    before, after = _counts(done, "before"), _counts(done, "after")
    for target in ("SalonTable/participant", "SalonTable/email_claim", "SalonTable/user_link", "UserPool"):
        assert (before[target], after[target]) == (1, 0), target
    assert after["SalonTable/person_tombstone"] == 1  # kept, for the reason the certificate gives
    certificate = done["certificate"]
    assert certificate["residue"] == 0 and certificate["others_unchanged"] is True
    assert {s["target"] for s in certificate["stores"]} >= {
        "UserPool",
        "CatalogueDomain",
        "AuditTable/audit_record",
    }
    assert requests.get(done["certificate_pdf_url"], timeout=30).content.startswith(b"%PDF")
    assert {name: _snapshot(world, name) for name in others} == others
    ada = people["Ada"]
    assert _partition(world["table"], keys.registration_pk(t, ada["registration_id"])) == []
    # The same e-mail cannot come back without a fresh consent (tests/e2e/test_fresh_consent.py).
    with pytest.raises(ErasedParticipants) as erased:
        world["regs"].create(
            t,
            {
                "registration_id": f"reg_{uuid.uuid4().hex}",
                "event_id": world["event_id"],
                "type": "buyer",
                "state": "submitted",
                "company_name": "Ada again",
                "participant_ids": ["par_again"],
                "created_at": NOW.isoformat(),
            },
            [{"participant_id": "par_again", "event_id": world["event_id"], "email": ada["email"]}],
        )
    assert erased.value.positions == [0]


def test_erasing_one_of_two_people_keeps_the_company_and_its_other_person(world: dict[str, Any]) -> None:
    dpo, people, t = world["dpo"], world["people"], world["tenant_id"]
    done = run(dpo, "erasure", people["Carol"]["email"])
    assert done["status"] == "completed", done
    sheet = world["table"].get(
        keys.registration_pk(t, people["Carol"]["registration_id"]), keys.REGISTRATION_SK
    )
    assert sheet is not None and sheet["participant_ids"] == [people["Dan"]["participant_id"]]
    assert "carol" not in sheet["search_text"] and "dan" in sheet["search_text"]


def test_an_unknown_e_mail_ends_with_an_empty_finding_and_says_so(world: dict[str, Any]) -> None:
    done = run(world["dpo"], "erasure", "nobody@example.test")
    assert done["status"] == "completed", done
    assert not any(_counts(done, "before").values())
    assert done["certificate"]["statement"].startswith("no personal data")


def test_a_restriction_takes_the_person_out_of_the_catalogue_and_scheduling(world: dict[str, Any]) -> None:
    dpo, carol, dan, t = world["dpo"], world["people"]["Carol"], world["people"]["Dan"], world["tenant_id"]
    rebuilt = world["organizer"].api.post(f"/events/{world['event_id']}/catalogue/rebuild")
    assert rebuilt.status_code == 200, rebuilt.text
    listed = run(dpo, "access", carol["email"])
    assert _counts(listed, "before")["CatalogueDomain"] == 1  # her company's card names her
    done = run(dpo, "restriction", carol["email"])
    assert done["status"] == "completed", done
    flag = world["table"].get(
        keys.registration_pk(t, carol["registration_id"]),
        keys.flag_sk("restriction", carol["participant_id"]),
    )
    assert flag is not None and flag["dsar_id"] == done["dsar_id"]
    after = run(dpo, "access", carol["email"])
    assert _counts(after, "before")["CatalogueDomain"] == 0  # the card no longer lists her
    assert _counts(run(dpo, "access", dan["email"]), "before")["CatalogueDomain"] == 1  # her colleague stays
    assert SchedulingStore(world["table"]).restricted(t, [carol["registration_id"]]) == {
        carol["participant_id"]
    }


def test_an_objection_flags_the_person(world: dict[str, Any]) -> None:
    dpo, bob, t = world["dpo"], world["people"]["Bob"], world["tenant_id"]
    done = run(dpo, "objection", bob["email"])
    assert done["status"] == "completed", done
    flag = world["table"].get(
        keys.registration_pk(t, bob["registration_id"]), keys.flag_sk("objection", bob["participant_id"])
    )
    assert flag is not None and flag["participant_id"] == bob["participant_id"]
    assert _counts(done, "after")["SalonTable/processing_flag"] == 1
    # A mailing to every buyer leaves him out, when it is counted and when it is sent.
    mailing_id = _mail_the_buyers(world, expected=3)
    assert _deliveries(world, "Bob") == []
    assert {i["mailing_id"] for i in _deliveries(world, "Ada")} == {mailing_id}


_MAILING = {
    "subject": {"fr": "Infos {{ company }}", "en": "News {{ company }}"},
    "body": {"fr": "Bonjour {{ first_name }}", "en": "Hello {{ first_name }}"},
}


def _mail_the_buyers(world: dict[str, Any], expected: int) -> str:
    """An organiser mailing to the event's buyers, sent; returns once every recipient was sent it."""
    organizer = world["organizer"].api
    created = organizer.post(f"/events/{world['event_id']}/mailings", json=_MAILING)
    assert created.status_code == 201, created.text
    assert created.json()["audience"] == expected
    mailing_id = str(created.json()["mailing_id"])
    assert organizer.post(f"/mailings/{mailing_id}/send").status_code == 202
    deadline = time.monotonic() + 60
    while organizer.get(f"/mailings/{mailing_id}").json()["sent"] < expected:
        assert time.monotonic() < deadline, "the mailing was not sent in time"
        time.sleep(0.3)
    return mailing_id


def _deliveries(world: dict[str, Any], name: str) -> list[Item]:
    pid = world["people"][name]["participant_id"]
    return _partition(world["table"], keys.delivery_pk(world["tenant_id"], pid))


def test_orders_the_person_placed_and_their_delivery_log_are_found_and_the_log_erased(
    world: dict[str, Any],
) -> None:
    dpo, organizer, bob = world["dpo"], world["organizer"].api, world["people"]["Bob"]
    lunch = organizer.post(
        f"/events/{world['event_id']}/products",
        json={"kind": "option", "name": {"fr": "Déjeuner"}, "price_cents": 3_000, "vat_rate": "10"},
    )
    assert lunch.status_code == 201, lunch.text
    assert organizer.put("/tenant/seller", json=SELLER.model_dump(mode="json")).status_code == 200
    order = bob["user"].api.post(
        f"/events/{world['event_id']}/orders",
        json={
            "lines": [{"product_id": lunch.json()["product_id"], "quantity": 1}],
            "payment_method": "transfer",
            "billing": BILLING,
        },
    )
    assert order.status_code == 201, order.text
    _mail_the_buyers(world, expected=4)
    assert len(_deliveries(world, "Bob")) == 1

    listed = run(dpo, "access", bob["email"], locale="fr")
    assert (listed["status"], listed["locale"]) == ("completed", "fr"), listed
    before = _counts(listed, "before")
    assert (before["SalonTable/order"], before["SalonTable/delivery"]) == (1, 1)
    assert _counts(run(dpo, "access", world["people"]["Ada"]["email"]), "before")["SalonTable/order"] == 0
    archive = zipfile.ZipFile(io.BytesIO(requests.get(listed["export_url"], timeout=30).content))
    [exported] = json.loads(archive.read("SalonTable.order.json"))
    assert exported["order_id"] == order.json()["order_id"] and exported["placed_by"] == bob["user"].sub
    fields = covered_fields(archive)  # the order's billing, the delivery log...: every field labelled
    assert list(fields[0])[2:4] == ["label_fr", "label_en"]  # the request's language before Bob's

    erased = run(dpo, "erasure", bob["email"])
    assert erased["status"] == "completed", erased
    after = _counts(erased, "after")
    assert after["SalonTable/delivery"] == 0 and _deliveries(world, "Bob") == []
    assert after["SalonTable/order"] == 1  # kept for the accounting obligation
    assert erased["certificate"]["residue"] == 0


def test_a_rectification_applies_the_corrections_validated_as_me(world: dict[str, Any]) -> None:
    dpo, bob, t = world["dpo"], world["people"]["Bob"], world["tenant_id"]
    refused = dpo.api.post(
        "/dsar",
        json={"kind": "rectification", "email": bob["email"], "corrections": {"phone": "not a phone"}},
    )
    assert refused.status_code == 422, refused.text
    done = run(dpo, "rectification", bob["email"], corrections={"last_name": "Martin"})
    assert done["status"] == "completed", done
    item = world["table"].get(
        keys.registration_pk(t, bob["registration_id"]), keys.participant_sk(bob["participant_id"])
    )
    assert item is not None and item["last_name"] == "Martin"


def test_a_second_identical_request_while_one_runs_is_refused(world: dict[str, Any]) -> None:
    dpo, bob = world["dpo"], world["people"]["Bob"]
    first = submit(dpo, "access", bob["email"])
    again = dpo.api.post("/dsar", json={"kind": "access", "email": bob["email"]})
    assert again.status_code == 409, again.text
    wait(dpo, first["dsar_id"], ("awaiting_verification",))
    rejected = dpo.api.post(f"/dsar/{first['dsar_id']}/verify", json={"verified": False, "method": "call"})
    assert rejected.status_code == 422 and rejected.json()["errors"][0]["field"] == "reason"
    rejected = dpo.api.post(
        f"/dsar/{first['dsar_id']}/verify", json={"verified": False, "method": "call", "reason": "no ID"}
    )
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert submit(dpo, "access", bob["email"])["status"] == "received"  # the lock is free again


def test_only_the_tenant_s_dpo_sees_its_requests(world: dict[str, Any], user_factory: Any) -> None:
    made = submit(world["dpo"], "access", world["people"]["Bob"]["email"])
    stranger = user_factory("dpo", f"tenant-{uuid.uuid4().hex[:8]}")
    assert stranger.api.get(f"/dsar/{made['dsar_id']}").status_code == 404
    assert world["organizer"].api.get(f"/dsar/{made['dsar_id']}").status_code == 403
    listed = world["dpo"].api.get("/dsar", params={"status": "awaiting_verification"})
    assert listed.status_code == 200
    wait(world["dpo"], made["dsar_id"], ("awaiting_verification",))
    listed = world["dpo"].api.get("/dsar", params={"status": "awaiting_verification"})
    assert made["dsar_id"] in {i["dsar_id"] for i in listed.json()["items"]}
    assert stranger.api.get("/dsar").json()["items"] == []


@pytest.fixture
def faulty_walk() -> Any:
    """Replace the handler of one target for the duration of a test (the steps run in-process)."""
    current = walk.get()
    original = current.handler

    def install(name: str, handler: Handler) -> None:
        current.handler = lambda target: handler if target.name == name else original(target)
        walk.override(current)

    yield install
    current.handler = original
    walk.override(None)


class _Broken(NotSearchable):
    def find(self, ctx: Any, person: Any) -> list[Item] | None:
        raise RuntimeError("the store could not be searched")


class _KeepsEverything(Handler):
    """Finds the participant like the real handler but erases nothing: a residue."""

    def find(self, ctx: Any, person: Any) -> list[Item] | None:
        return [
            i
            for p in person.participations
            if (
                i := ctx.table.get(
                    keys.registration_pk(person.tenant_id, p.registration_id),
                    keys.participant_sk(p.participant_id),
                )
            )
        ]


def test_a_failing_step_fails_the_request_and_says_which(world: dict[str, Any], faulty_walk: Any) -> None:
    faulty_walk("CatalogueDomain", _Broken(Erasure.DELETE))
    done = run(world["dpo"], "access", world["people"]["Bob"]["email"])
    assert done["status"] == "failed" and done["steps"]["find"] == "failed", done
    assert "could not be searched" in done["failure"]
    assert done["certificate"] is None


def test_a_residue_fails_the_verification_loudly(world: dict[str, Any], faulty_walk: Any) -> None:
    faulty_walk("SalonTable/participant", _KeepsEverything(Erasure.DELETE))
    done = run(world["dpo"], "erasure", world["people"]["Bob"]["email"])
    assert done["status"] == "failed", done
    assert (done["steps"]["check"], done["steps"]["certify"]) == ("failed", "pending")
    assert "SalonTable/participant: 1 item(s) left" in done["failure"]
    assert _counts(done, "after")["SalonTable/participant"] == 1
    assert done["certificate"] is None


def test_a_running_request_is_counted_by_the_due_date_watch_until_it_ends(world: dict[str, Any]) -> None:
    dpo = world["dpo"]
    store = RequestsStore(world["table"])
    made = submit(dpo, "erasure", world["people"]["Dan"]["email"])
    due = made["due_at"]
    just_before = iso(parse_iso(due) - timedelta(seconds=1))
    # Other tests may run requests at the same time: count this one by its own due date.
    assert store.running_due_by(due) - store.running_due_by(just_before) >= 1
    wait(dpo, made["dsar_id"], ("awaiting_verification",))
    dpo.api.post(
        f"/dsar/{made['dsar_id']}/verify", json={"verified": False, "method": "call", "reason": "no ID"}
    )
    assert wait(dpo, made["dsar_id"], ENDED)["status"] == "rejected"
    assert (
        world["table"].count(
            Key("GSI1PK").eq(keys.RUNNING_DSARS_INDEX)
            & Key("GSI1SK").eq(keys.running_dsar_sort(due, world["tenant_id"], made["dsar_id"])),
            index="GSI1",
        )
        == 0
    )


def test_the_retention_sweep_removes_an_ended_event_s_personal_data_and_reports(
    world: dict[str, Any], cloud: Any
) -> None:
    t, event_id, table = world["tenant_id"], world["event_id"], world["table"]
    ends = parse_iso(world["organizer"].api.get(f"/events/{event_id}").json()["ends_at"])
    early = run_sweep(cloud, iso(ends + timedelta(days=35 * 31)), t)
    assert early == {"tenants": 0, "events": 0, "orders": 0}  # 35 months after the event: nothing is due yet
    ada = world["people"]["Ada"]
    assert _partition(table, keys.registration_pk(t, ada["registration_id"]))
    done = run_sweep(cloud, iso(ends + timedelta(days=37 * 31)), t)
    assert done == {"tenants": 1, "events": 1, "orders": 0}
    for person in world["people"].values():
        assert _partition(table, keys.registration_pk(t, person["registration_id"])) == []
    event_items = {i["item_type"] for i in _partition(table, keys.event_pk(t, event_id))}
    assert "email_claim" not in event_items and {"event", "participation_type"} <= event_items
    reports = world["dpo"].api.get("/retention-reports")
    assert reports.status_code == 200, reports.text
    report = reports.json()["items"][0]
    assert report["events"] == [event_id]
    assert report["removed"]["participant"] == 4 and report["removed"]["email_claim"] == 4
    assert run_sweep(cloud, iso(ends + timedelta(days=38 * 31)), t) == {
        "tenants": 0,
        "events": 0,
        "orders": 0,
    }


def _tenant_export(organizer: Any, timeout: float = 120.0) -> dict[str, Any]:
    started = organizer.api.post("/tenant/export")
    assert started.status_code == 202, started.text
    export_id = started.json()["export_id"]
    deadline = time.monotonic() + timeout
    while True:
        read = organizer.api.get(f"/tenant/exports/{export_id}")
        assert read.status_code == 200, read.text
        if read.json()["status"] != "running" or time.monotonic() > deadline:
            return dict(read.json())
        time.sleep(0.5)


def test_a_tenant_export_archives_every_registration_of_the_tenant_and_nothing_else(
    world: dict[str, Any], user_factory: Any
) -> None:
    stranger = user_factory("organizer", f"tenant-{uuid.uuid4().hex[:8]}")
    buyer_event(stranger)
    seller = SELLER.model_dump(mode="json")
    assert world["organizer"].api.put("/tenant/seller", json=seller).status_code == 200
    assert stranger.api.put("/tenant/seller", json=seller).status_code == 200
    done = _tenant_export(world["organizer"])
    assert done["status"] == "completed", done
    assert done["counts"]["registration"] == 3 and done["counts"]["participant"] == 4
    archive = zipfile.ZipFile(io.BytesIO(requests.get(done["export_url"], timeout=30).content))
    companies = {r["company_name"] for r in json.loads(archive.read("registration.json"))}
    assert companies == {"Ada Ltd", "Bob Ltd", "Duo Ltd"}
    assert world["people"]["Carol"]["email"] in archive.read("participant.csv").decode()
    events = json.loads(archive.read("event.json"))
    assert [e["event_id"] for e in events] == [world["event_id"]] and "PK" not in events[0]
    assert {f["file"] for f in covered_fields(archive)} >= {"participant.csv", "user_account.csv"}
    manifest = json.loads(archive.read("tenant.json"))
    assert manifest["counts"] == done["counts"]
    # Tenant-level configuration and the login accounts (no secret), reached from no event.
    assert [r["tenant_id"] for r in json.loads(archive.read("invoicing_seller.json"))] == [world["tenant_id"]]
    users = [world["organizer"], world["dpo"], *(p["user"] for p in world["people"].values())]
    accounts = {r["username"]: r for r in json.loads(archive.read("user_account.json"))}
    assert {u.username: (u.email, u.role) for u in users} == {
        name: (r["email"], r["role"]) for name, r in accounts.items()
    }
    assert manifest["stores"]["UserPool"] == len(users) == done["counts"]["user_account"]
    assert stranger.username not in archive.read("user_account.csv").decode()
    assert users[0].password not in archive.read("user_account.json").decode()
    assert world["dpo"].api.post("/tenant/export").status_code == 403
    assert stranger.api.get(f"/tenant/exports/{done['export_id']}").status_code == 404
