"""Cognito CustomMessage trigger: the participant's invitation and password-reset e-mails, localized.

Cognito calls it before sending (through SES, see the user pool's EmailConfiguration). The event's
``codeParameter`` and ``usernameParameter`` are placeholders Cognito fills in afterwards.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext
from salon.registration.domain.invitations import message_for

logger = Logger()


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    request = event.get("request", {})
    attributes = request.get("userAttributes", {})
    message = message_for(
        str(event.get("triggerSource", "")),
        attributes.get("locale"),
        str(request.get("codeParameter", "{####}")),
        str(request.get("usernameParameter") or "{username}"),
    )
    if message is not None:
        event.setdefault("response", {}).update(emailSubject=message.subject, emailMessage=message.body)
    # Ids only: the attributes hold the e-mail.
    logger.info(
        "custom message",
        extra={"trigger_source": event.get("triggerSource"), "user_sub": attributes.get("sub")},
    )
    return event
