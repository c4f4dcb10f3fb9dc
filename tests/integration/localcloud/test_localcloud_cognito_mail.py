"""AdminCreateUser in the local cloud invites as Cognito does: CustomMessage trigger, then SES."""

from __future__ import annotations

import time
import uuid
from email import parser as email_parser
from email import policy as email_policy
from typing import Any

import pytest
from localcloud import outbox

pytestmark = pytest.mark.integration


def _create(cloud: Any, locale: str, **extra: Any) -> tuple[str, str]:
    email = f"mail-{uuid.uuid4().hex[:10]}@example.test"
    username = f"p:t-mail:{email}"
    cloud.client("cognito-idp").admin_create_user(
        UserPoolId=cloud.resources.user_pool_id,
        Username=username,
        UserAttributes=[{"Name": "email", "Value": email}, {"Name": "locale", "Value": locale}],
        **extra,
    )
    return email, username


def _to(cloud: Any, email: str) -> list[Any]:
    return [message for message in cloud.sent_emails() if message.to == (email,)]


def test_the_pool_sends_through_ses_from_its_email_configuration(cloud: Any) -> None:
    pool = cloud.client("cognito-idp").describe_user_pool(UserPoolId=cloud.resources.user_pool_id)["UserPool"]
    assert pool["EmailConfiguration"]["EmailSendingAccount"] == "DEVELOPER"
    assert pool["LambdaConfig"]["CustomMessage"].endswith(cloud.resources.function_name("InvitationFunction"))
    identities = cloud.client("sesv2").list_email_identities()["EmailIdentities"]
    assert pool["EmailConfiguration"]["SourceArn"].split("identity/")[1] in {
        i["IdentityName"] for i in identities
    }


def test_admin_create_user_sends_the_trigger_message_with_placeholders_filled(cloud: Any) -> None:
    email, username = _create(cloud, "en")
    (message,) = _to(cloud, email)
    assert message.subject == "Your Salon participant access"
    assert message.source == "Salon <no-reply@salon.example>"
    assert username in message.body and "{####}" not in message.body


def test_the_local_outbox_keeps_the_invitation_as_the_html_cognito_sends(cloud: Any) -> None:
    started = time.time()
    email, _ = _create(cloud, "fr")
    (captured,) = [c for c in outbox.captured(started) if c.to == email]
    assert captured.kind == outbox.INVITATION_KIND
    mail = email_parser.BytesParser(policy=email_policy.default).parsebytes(captured.path.read_bytes())
    assert mail.get_content_type() == "text/html"


def test_suppressed_creation_sends_nothing(cloud: Any) -> None:
    email, _ = _create(cloud, "fr", MessageAction="SUPPRESS")
    assert _to(cloud, email) == []
