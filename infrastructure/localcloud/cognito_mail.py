"""Cognito's invitation e-mail in the local cloud: moto creates the user, this sends what Cognito would.

moto 5.2.5's AdminCreateUser stores the user and stops: no temporary password, no CustomMessage
trigger, no mail. `install()` wraps it so that, unless ``MessageAction=SUPPRESS``, it does what
Cognito does: generate a temporary password, call the pool's CustomMessage trigger (through moto's
Lambda, hence the in-process runtime), fill in ``{username}`` and ``{####}``, and send the message
with moto's SES from the pool's ``EmailConfiguration`` (``EmailSendingAccount: DEVELOPER``). A
failing trigger fails the call and leaves no user, as in Cognito. `sent_emails()` reads what was sent.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

DEFAULT_SUBJECT = "Your temporary password"
DEFAULT_MESSAGE = "Your username is {username} and temporary password is {####}."
INVITATION_TRIGGER = "CustomMessage_AdminCreateUser"

_ORIGINAL: list[Callable[..., Any]] = []


@dataclass(frozen=True)
class SentEmail:
    source: str
    to: tuple[str, ...]
    subject: str
    body: str


def install() -> None:
    """Route moto's AdminCreateUser through `_create_and_invite` (idempotent)."""
    from moto.cognitoidp.models import CognitoIdpBackend

    if not _ORIGINAL:
        _ORIGINAL.append(CognitoIdpBackend.admin_create_user)
        setattr(CognitoIdpBackend, "admin_create_user", _create_and_invite)  # noqa: B010


def uninstall() -> None:
    from moto.cognitoidp.models import CognitoIdpBackend

    if _ORIGINAL:
        setattr(CognitoIdpBackend, "admin_create_user", _ORIGINAL.pop())  # noqa: B010


def sent_emails(account_id: str, region: str) -> list[SentEmail]:
    """Every simple message moto's SES accepted in this account and region, oldest first: the logins'
    invitations. Notifications go out as MIME messages (captured under ``.local/outbox``) and are left out."""
    from moto.ses.models import Message, ses_backends

    return [
        SentEmail(
            message.source,
            tuple(address for addresses in message.destinations.values() for address in addresses),
            message.subject,
            message.body,
        )
        for message in ses_backends[account_id][region].sent_messages
        if isinstance(message, Message)
    ]


def _create_and_invite(
    backend: Any,
    user_pool_id: str,
    username: str,
    message_action: str | None,
    temporary_password: str | None,
    attributes: list[dict[str, str]],
) -> Any:
    sending = message_action != "SUPPRESS"
    if sending and not temporary_password:
        temporary_password = _temporary_password()
    user = _ORIGINAL[0](backend, user_pool_id, username, message_action, temporary_password, attributes)
    if sending:
        pool = backend.describe_user_pool(user_pool_id)
        try:
            _invite(backend, pool, user, str(temporary_password))
        except Exception:
            pool.users.pop(user.username, None)
            raise
    return user


def _temporary_password() -> str:
    # Meets the pool's policy (template.yaml): 12+ characters, upper, lower and digits.
    return f"Tmp-{secrets.token_urlsafe(9)}-7a"


def _invite(backend: Any, pool: Any, user: Any, password: str) -> None:
    from moto.cognitoidp.exceptions import InvalidParameterException
    from moto.cognitoidp.utils import flatten_attrs

    attributes = flatten_attrs(user.attributes)
    email = attributes.get("email")
    configuration = pool.extended_config.get("EmailConfiguration") or {}
    if not email or configuration.get("EmailSendingAccount") != "DEVELOPER":
        return  # Cognito's own mailer: nothing observable locally
    subject, message = DEFAULT_SUBJECT, DEFAULT_MESSAGE
    trigger = (pool.extended_config.get("LambdaConfig") or {}).get("CustomMessage")
    if trigger:
        event = {
            "version": "1",
            "triggerSource": INVITATION_TRIGGER,
            "region": backend.region_name,
            "userPoolId": pool.id,
            "userName": user.username,
            "callerContext": {"awsSdkVersion": "localcloud", "clientId": "CLIENT_ID_NOT_APPLICABLE"},
            "request": {
                "userAttributes": {**attributes, "cognito:user_status": "FORCE_CHANGE_PASSWORD"},
                "codeParameter": "{####}",
                "usernameParameter": "{username}",
                "linkParameter": "{##Click Here##}",
            },
            "response": {"smsMessage": None, "emailMessage": None, "emailSubject": None},
        }
        response = _invoke(backend.account_id, backend.region_name, trigger, event)
        subject = response.get("emailSubject") or subject
        message = response.get("emailMessage") or message
    if "{####}" not in message:
        raise InvalidParameterException("the invitation message must contain {####}")
    body = message.replace("{username}", user.username).replace("{####}", password)
    _send(backend.account_id, configuration, email, subject, body)


def _invoke(account_id: str, region: str, function_arn: str, event: dict[str, Any]) -> dict[str, Any]:
    from moto.awslambda.utils import get_backend
    from moto.cognitoidp.exceptions import InvalidParameterException

    function = get_backend(account_id, region).get_function(function_arn)
    headers: dict[str, str] = {}
    payload = function.invoke(json.dumps(event), {}, headers)
    answer = json.loads(payload)
    if "x-amz-function-error" in headers:
        raise InvalidParameterException(f"CustomMessage failed: {answer.get('errorType')}")
    return dict(answer.get("response") or {})


def _send(account_id: str, configuration: dict[str, Any], to: str, subject: str, body: str) -> None:
    from moto.sesv2.models import sesv2_backends

    region = str(configuration["SourceArn"]).split(":")[3]
    source = configuration.get("From") or str(configuration["SourceArn"]).split(":identity/", 1)[1]
    sesv2_backends[account_id][region].send_email(
        source=source, destinations={"ToAddresses": [to]}, subject=subject, body=body
    )
