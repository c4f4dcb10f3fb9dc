"""Notifications over HTTP: what a person is told lands, once, in the local cloud's outbox."""

from __future__ import annotations

import time
from email import message_from_bytes, policy
from typing import Any

import pytest
from test_register_support import Tenant, ok, registration_body, tenant

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
