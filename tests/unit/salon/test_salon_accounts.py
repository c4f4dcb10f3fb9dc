"""Tenant-scoped usernames, the invitation texts and the CustomMessage trigger (sample event replayed)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from salon.kernel.usernames import (
    MAX_LENGTH,
    max_email_length,
    participant_username,
    staff_username,
    username_for,
)
from salon.registration.domain.invitations import FORGOT_PASSWORD, INVITATION, message_for

REPO = Path(__file__).resolve().parents[3]
SAMPLE = REPO / "events" / "cognito" / "custom-message-admin-create-user.json"


def test_usernames_are_scoped_by_tenant_and_side() -> None:
    assert participant_username("t-1", "Ada@Example.ORG") == "p:t-1:ada@example.org"
    assert staff_username("t-1", "Ada@Example.ORG") == "s:t-1:ada@example.org"
    assert username_for("dpo", "t-1", "a@b.fr") == username_for("organizer", "t-1", "a@b.fr")
    assert username_for("participant", "t-2", "a@b.fr") == "p:t-2:a@b.fr"
    assert len({participant_username(t, "a@b.fr") for t in ("t-1", "t-2")}) == 2
    with pytest.raises(ValueError):
        username_for("admin", "t-1", "a@b.fr")


def test_the_longest_email_fills_a_username_exactly() -> None:
    tenant = "t" * 64  # the custom:tenant_id maximum (template.yaml)
    longest = max_email_length(tenant)
    assert longest == MAX_LENGTH - 2 - 64 - 1
    assert len(participant_username(tenant, "e" * longest)) == MAX_LENGTH


@pytest.mark.parametrize(
    ("locale", "subject"),
    [
        ("fr", "Votre accès participant Salon"),
        ("en", "Your Salon participant access"),
        ("en-GB", "Your Salon"),
    ],
)
def test_invitation_is_in_the_participant_locale_and_keeps_cognito_placeholders(
    locale: str, subject: str
) -> None:
    message = message_for(INVITATION, locale, "{####}", "{username}")
    assert message is not None and message.subject.startswith(subject)
    assert "{####}" in message.body and "{username}" in message.body


def test_unknown_locale_falls_back_to_french_and_other_triggers_keep_cognito_default() -> None:
    assert message_for(FORGOT_PASSWORD, "de", "{####}", "{username}") == message_for(
        FORGOT_PASSWORD, "fr", "{####}", "{username}"
    )
    assert message_for("CustomMessage_SignUp", "fr", "{####}", "{username}") is None


def _trigger() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "invitation_trigger", REPO / "functions/register/invitation.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _sample() -> dict[str, Any]:
    return dict(json.loads(SAMPLE.read_text(encoding="utf-8")))


def test_trigger_replays_the_sample_admin_create_user_event() -> None:
    answered = _trigger().handler(_sample(), None)
    response = answered["response"]
    assert response["emailSubject"] == "Votre accès participant Salon"
    assert "{####}" in response["emailMessage"] and "{username}" in response["emailMessage"]
    assert answered["userName"] == _sample()["userName"]  # the rest of the event is handed back as is


def test_trigger_localizes_the_forgot_password_code() -> None:
    event = _sample()
    event["triggerSource"] = FORGOT_PASSWORD
    event["request"]["userAttributes"]["locale"] = "en"
    response = _trigger().handler(event, None)["response"]
    assert response["emailSubject"] == "Reset your Salon password"
    assert "{####}" in response["emailMessage"]
