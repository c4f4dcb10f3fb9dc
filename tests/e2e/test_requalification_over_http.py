"""Contact re-qualification over HTTP: contacts unverified for 6 months get the e-mail (the pass a
schedule starts, on a simulated clock), the organiser sees who let the delay pass (the registrations
list's filter, the detail), and confirming signed in (``POST /me/requalify``) or by the e-mail's link
(``POST /requalify/{token}``, no session) clears the flag."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from typing import Any

import pytest
from localcloud.requalify import run_pass
from salon.kernel import keys
from salon.kernel.dynamo import Table, Update
from salon.kernel.usernames import participant_username
from salon.kernel.values import iso
from test_register_support import Tenant, make_tenant, ok, registration_body

pytestmark = pytest.mark.e2e

PASSWORD = "Local-Passw0rd-2026"
NOW = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=1)


def age(cloud: Any, tenant_id: str, registration_id: str, participant_id: str) -> None:
    """Make a contact's data 7 months old (as if verified then), index entry included."""
    then = iso(NOW - timedelta(days=214))
    Table(cloud.resources.table_name).update(
        Update(
            {
                "PK": keys.registration_pk(tenant_id, registration_id),
                "SK": keys.participant_sk(participant_id),
            },
            "participant",
            set={
                "last_verified_at": then,
                **keys.contact_verified_keys(then, tenant_id, registration_id, participant_id),
            },
        )
    )


def link_in_mail(cloud: Any, address: str, since: float) -> str:
    deadline = time.monotonic() + 60
    while True:
        mails = [
            c for c in cloud.captured(since) if c.to == address and c.kind == "requalification_requested"
        ]
        if mails:
            message = message_from_bytes(mails[0].path.read_bytes(), policy=policy.default)
            text = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
            [token] = re.findall(r"/requalify/([A-Za-z0-9_-]{43})", text)
            return str(token)
        assert time.monotonic() < deadline, "no re-qualification e-mail"
        time.sleep(0.2)


def test_the_organiser_sees_who_did_not_confirm_until_they_do(
    user_factory: Any, api: Any, cloud: Any
) -> None:
    world: Tenant = make_tenant(user_factory, "rq")
    org = world.organizer.api
    signed_in, by_link = (registration_body(), registration_body())
    created = [
        ok(api.post(f"/events/{world.event_id}/registrations", json=b), 201) for b in (signed_in, by_link)
    ]
    rids = [c["registration_id"] for c in created]
    pids = [c["participants"][0]["participant_id"] for c in created]
    ok(org.post(f"/registrations/{rids[0]}/decision", json={"decision": "validate"}))
    username = participant_username(world.tenant_id, signed_in["participants"][0]["email"])
    cloud.set_password(username, PASSWORD)
    person = api.with_token(cloud.login(username, PASSWORD))
    for rid, pid in zip(rids, pids, strict=True):
        age(cloud, world.tenant_id, rid, pid)
    since = time.time()

    asked = run_pass(cloud, "request", iso(NOW), world.tenant_id)

    assert asked["requested"] == 2
    token = link_in_mail(cloud, by_link["participants"][0]["email"], since)
    link_in_mail(cloud, signed_in["participants"][0]["email"], since)
    overdue = {"requalification": "overdue"}
    assert ok(org.get(f"/events/{world.event_id}/registrations", params=overdue))["items"] == []

    assert run_pass(cloud, "flag", iso(NOW + timedelta(days=31)), world.tenant_id)["flagged"] == 2

    listed = ok(org.get(f"/events/{world.event_id}/registrations", params=overdue))["items"]
    assert sorted(i["registration_id"] for i in listed) == sorted(rids)
    assert all(i["requalification_overdue"] == 1 for i in listed)
    assert all(i["participants"][0]["requalification_overdue_at"] for i in listed)
    detail = ok(org.get(f"/registrations/{rids[0]}"))
    assert detail["requalification_overdue"] == 1 and detail["participants"][0]["requalification_overdue_at"]

    mine = ok(person.post("/me/requalify"))
    assert mine["participant_ids"] == [pids[0]]
    confirmed = ok(api.post(f"/requalify/{token}"))  # no session: the e-mail's link
    assert confirmed["participant_ids"] == [pids[1]]
    assert ok(api.post(f"/requalify/{token}"))["participant_ids"] == [pids[1]]  # twice is fine

    assert ok(org.get(f"/events/{world.event_id}/registrations", params=overdue))["items"] == []
    detail = ok(org.get(f"/registrations/{rids[1]}"))
    assert detail["requalification_overdue"] == 0
    assert detail["participants"][0]["requalification_overdue_at"] is None
    assert detail["participants"][0]["last_verified_at"] == confirmed["last_verified_at"]
    me = ok(person.get("/me"))["participations"][0]
    assert me["last_verified_at"] == mine["last_verified_at"] and me["requalification_overdue_at"] is None

    # Half a year later the signed-in person is due again (the next round); correcting the data with
    # PATCH /me after the delay clears the new flag as a confirmation does.
    later = NOW + timedelta(days=214)
    assert run_pass(cloud, "request", iso(later), world.tenant_id)["requested"] == 2
    assert run_pass(cloud, "flag", iso(later + timedelta(days=31)), world.tenant_id)["flagged"] == 2
    ok(person.patch("/me", json={"job_title": "Acheteuse senior"}))
    listed = ok(org.get(f"/events/{world.event_id}/registrations", params=overdue))["items"]
    assert [i["registration_id"] for i in listed] == [rids[1]]

    unknown = api.post("/requalify/" + "x" * 43)
    assert unknown.status_code == 404 and unknown.headers["Content-Type"].startswith(
        "application/problem+json"
    )
    assert api.post("/me/requalify").status_code == 401
