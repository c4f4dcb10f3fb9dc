"""An erased person comes back only with their fresh consent, over HTTP: after an erasure run by the
DSAR workflow, registering the same e-mail anonymously answers exactly as an unknown e-mail, shows the
organiser nothing and e-mails the person a link; nothing re-appears until they follow it, then the
registration is in the organiser's list and the tombstone is gone (audited, no e-mail in the trail).
The DPO, not the organiser, may lift a tombstone for a consent they hold otherwise."""

from __future__ import annotations

import re
import time
import uuid
from email import message_from_bytes, policy
from typing import Any

import pytest
from dsar_world import run
from salon.kernel import keys
from salon.kernel.dynamo import Table
from salon.kernel.person_key import person_key
from test_accounts import body_for, register, without_ids
from test_notifications import mails_to
from test_register_support import Tenant, is_problem, make_tenant, ok

pytestmark = pytest.mark.e2e


@pytest.fixture
def world(user_factory: Any) -> Tenant:
    return make_tenant(user_factory, "consent")  # its own: its DPO erases a person


def listed(world: Tenant) -> list[str]:
    page = ok(world.organizer.api.get(f"/events/{world.event_id}/registrations"))
    return [r["registration_id"] for r in page["items"]]


def tombstone(cloud: Any, world: Tenant, email: str) -> Any:
    t = world.tenant_id
    return Table(cloud.resources.table_name).get(keys.person_pk(t, person_key(t, email)), keys.TOMBSTONE_SK)


def with_colleague(body: dict[str, Any], email: str) -> dict[str, Any]:
    second = {**body["participants"][0], "email": email, "first_name": "Cy"}
    return {**body, "participants": [body["participants"][0], second]}


def test_an_erased_person_is_registered_again_only_once_they_consent_from_the_emailed_link(
    world: Tenant, api: Any, cloud: Any
) -> None:
    email = f"ada-{uuid.uuid4().hex[:8]}@company.example"
    first = ok(register(api, world.event_id, body_for(email, "first", locale="en")), 201)
    done = run(world.dpo, "erasure", email)
    assert done["status"] == "completed", done
    assert first["registration_id"] not in listed(world) and tombstone(cloud, world, email) is not None

    colleague = f"cy-{uuid.uuid4().hex[:8]}@company.example"
    again = register(api, world.event_id, with_colleague(body_for(email, "same", locale="en"), colleague))
    unknown_email = f"new-{uuid.uuid4().hex[:8]}@company.example"
    unknown = register(
        api, world.event_id, with_colleague(body_for(unknown_email, "same", locale="en"), f"x-{colleague}")
    )

    assert without_ids(again)[:2] == without_ids(unknown)[:2] == (201, "application/json")
    assert without_ids(again)[2] == without_ids(unknown)[2]  # same shape and values
    twice, unknown_twice = (
        register(api, world.event_id, body_for(e, "twice")) for e in (email, unknown_email)
    )
    assert (twice.status_code, twice.json()["errors"]) == (
        unknown_twice.status_code,
        unknown_twice.json()["errors"],
    )
    assert twice.status_code == 409 and is_problem(twice)
    rid = again.json()["registration_id"]
    [mail] = mails_to(cloud, email, "consent_requested", 1)
    assert len(mails_to(cloud, colleague, "registration_received", 1)) == 1  # as for any submission
    assert rid not in listed(world) and unknown.json()["registration_id"] in listed(world)
    assert ok(world.organizer.api.get(f"/registrations/{rid}"), 404)
    assert tombstone(cloud, world, email) is not None  # nothing lifted without the person's consent
    message = message_from_bytes(mail.path.read_bytes(), policy=policy.default)
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    [token] = re.findall(r"/consents/([A-Za-z0-9_-]{43})", text)

    forged = api.post(f"/consents/{token[:-4]}AAAA")
    assert forged.status_code == 404 and is_problem(forged)
    assert rid not in listed(world)

    confirmed = ok(api.post(f"/consents/{token}"))

    assert confirmed == {"registration_id": rid, "state": "submitted"}
    assert rid in listed(world) and tombstone(cloud, world, email) is None
    assert ok(api.post(f"/consents/{token}")) == confirmed  # the link clicked twice
    assert len(mails_to(cloud, email, "registration_received", 2)) == 2  # now a normal submission
    time.sleep(1.0)  # the colleague, told already when it was held, is not told twice
    assert len(mails_to(cloud, colleague, "registration_received", 1, timeout=0)) == 1
    trail = ok(world.dpo.api.get("/audit", params={"subject_id": rid}))["items"]
    [lifting] = [r for r in trail if r["action"] == "tombstone.lift"]
    assert lifting["item_types"] == ["person_tombstone"] and email not in str(lifting)


def test_the_dpo_not_the_organiser_lifts_a_tombstone_then_the_email_registers_as_any_other(
    world: Tenant, api: Any, cloud: Any
) -> None:
    email = f"bo-{uuid.uuid4().hex[:8]}@company.example"
    ok(register(api, world.event_id, body_for(email, "first")), 201)
    erased = run(world.dpo, "erasure", email)
    assert erased["status"] == "completed", erased
    body = {"email": email}

    refused = world.organizer.api.post("/tombstones/lift", json=body)
    assert refused.status_code == 403 and tombstone(cloud, world, email) is not None
    lifted = ok(world.dpo.api.post("/tombstones/lift", json=body))

    assert lifted["dsar_id"] == erased["dsar_id"] and tombstone(cloud, world, email) is None
    again = world.dpo.api.post("/tombstones/lift", json=body)
    assert again.status_code == 404 and is_problem(again)
    created = ok(register(api, world.event_id, body_for(email, "back")), 201)
    assert created["registration_id"] in listed(world)
    trail = ok(world.dpo.api.get("/audit", params={"subject_id": erased["dsar_id"]}))["items"]
    assert [r["action"] for r in trail] == ["tombstone.lift"] and email not in str(trail)
