"""Notifications over HTTP: what a person is told lands, once, in the local cloud's outbox."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from typing import Any

import pytest
from localcloud.scheduler_clock import fire_due
from salon.notify.domain.reminders import group_name
from test_register_support import Tenant, make_tenant, ok, registration_body, tenant

pytestmark = pytest.mark.e2e


@pytest.fixture
def world(user_factory: Any) -> Tenant:
    return tenant(user_factory, "notify")


def mails_to(cloud: Any, address: str, kind: str, count: int, timeout: float = 45.0) -> list[Any]:
    """The captured e-mails of ``kind`` to ``address``, once ``count`` are there (or time is up)."""
    deadline = time.monotonic() + timeout
    while True:
        found = [c for c in cloud.captured() if c.to == address and c.kind == kind]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def test_a_validation_over_http_produces_the_sign_in_email_in_the_outbox(
    world: Tenant, api: Any, cloud: Any
) -> None:
    branding = {
        "sender_name": "Salon Aura",
        "reply_to": "contact@aura.example",
        "logo_url": "https://cdn.aura.example/logo.png",
    }
    patched = ok(world.organizer.api.patch(f"/events/{world.event_id}", json={"branding": branding}))
    assert patched["branding"] == branding
    body = registration_body(people=2)
    created = ok(api.post(f"/events/{world.event_id}/registrations", json=body), 201)
    rid = created["registration_id"]
    first = body["participants"][0]["email"]
    assert len(mails_to(cloud, first, "registration_received", 1)) == 1

    ok(world.organizer.api.post(f"/registrations/{rid}/decision", json={"decision": "validate"}))

    [validated] = mails_to(cloud, first, "registration_validated", 1)
    mail = message_from_bytes(validated.path.read_bytes(), policy=policy.default)
    assert mail["Subject"].endswith("votre inscription est validée")  # the registration's locale
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert body["participants"][0]["first_name"] in text
    assert f"sign-in?event={world.event_id}" in text and f"sign-in?event={world.event_id}" in html
    assert "List-Unsubscribe" not in mail  # transactional
    assert (
        mail["From"] == "Salon Aura <no-reply@salon.example>" and mail["Reply-To"] == "contact@aura.example"
    )
    assert 'src="https://cdn.aura.example/logo.png"' in html
    second = body["participants"][1]["email"]
    assert len(mails_to(cloud, second, "registration_validated", 1)) == 1
    time.sleep(1.0)  # nothing more arrives later: one e-mail per person and kind
    assert len(mails_to(cloud, first, "registration_validated", 1, timeout=0)) == 1


def test_a_moved_deadline_over_http_moves_its_reminder_and_the_old_time_sends_nothing(
    user_factory: Any, api: Any, cloud: Any
) -> None:
    fresh = make_tenant(user_factory, "remind")  # its own event: its dates change
    event_path = f"/events/{fresh.event_id}"
    body = registration_body(people=1)
    rid = ok(api.post(f"{event_path}/registrations", json=body), 201)["registration_id"]
    ok(fresh.organizer.api.post(f"/registrations/{rid}/decision", json={"decision": "validate"}))
    group = group_name(fresh.tenant_id, fresh.event_id)
    planned = wait_for_schedules(cloud, group, lambda s: len(s) == 4)  # 3 reminders and the close
    [name] = [n for n in planned if n.startswith("requests_deadline-")]
    event = ok(fresh.organizer.api.get(event_path))
    old = datetime.fromisoformat(event["key_dates"]["requests_deadline_at"])
    new = old + timedelta(days=1)

    ok(fresh.organizer.api.patch(event_path, json={"key_dates": {"requests_deadline_at": new.isoformat()}}))

    moved = wait_for_schedules(cloud, group, lambda s: s.get(name) != planned[name])
    assert moved[name] == f"at({(new - timedelta(days=3)).astimezone(UTC):%Y-%m-%dT%H:%M:%S})"
    assert {n: e for n, e in moved.items() if n != name} == {n: e for n, e in planned.items() if n != name}
    assert [f for f in fire_due(cloud, old - timedelta(days=3)) if f.group == group] == []
    fired = [f for f in fire_due(cloud, new - timedelta(days=3)) if f.group == group]
    assert [(f.input["kind"], f.result) for f in fired] == [("requests_deadline", {"sent": 1})]
    email = body["participants"][0]["email"]
    assert len(mails_to(cloud, email, "reminder_requests_deadline", 1, timeout=0)) == 1


def wait_for_schedules(
    cloud: Any, group: str, done: Callable[[dict[str, str]], bool], timeout: float = 90.0
) -> dict[str, str]:
    """The group's schedules (name -> expression) once ``done`` holds for them."""
    scheduler = cloud.client("scheduler")
    deadline = time.monotonic() + timeout
    while True:
        try:
            names = [s["Name"] for s in scheduler.list_schedules(GroupName=group)["Schedules"]]
            found = {n: scheduler.get_schedule(Name=n, GroupName=group)["ScheduleExpression"] for n in names}
        except scheduler.exceptions.ResourceNotFoundException:
            found = {}
        if done(found):
            return found
        assert time.monotonic() < deadline, f"the reminders did not get there in time: {found}"
        time.sleep(0.3)
