"""Cognito logins of participants: open (idempotently), disable. Only ever ``p:<tenant>:`` usernames.

A login is touched only if it is a participant login of the caller's tenant: its groups hold no
role but ``participant`` and its ``custom:tenant_id`` is that tenant. Usernames already guarantee
it; the check is defence in depth against a login edited by hand.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError

from salon.kernel import aws
from salon.kernel.usernames import participant_username

logger = logging.getLogger(__name__)
PARTICIPANT_GROUP = "participant"


@dataclass(frozen=True)
class Account:
    username: str
    sub: str


class IdentityError(Exception):
    """Cognito could not be reached or refused the call."""


class NotAParticipantLogin(IdentityError):
    """The login holds another role or belongs to another tenant: Salon will not link or disable it."""


class Identity(Protocol):
    def ensure_participant(self, tenant_id: str, email: str, locale: str) -> Account: ...

    def disable_participant(self, tenant_id: str, username: str) -> None: ...


def _attr(user: dict[str, Any], name: str) -> str | None:
    for attr in user.get("Attributes", user.get("UserAttributes", [])):
        if attr["Name"] == name:
            return str(attr["Value"])
    return None


class CognitoIdentity:
    def __init__(self, user_pool_id: str) -> None:
        self.pool = user_pool_id

    def ensure_participant(self, tenant_id: str, email: str, locale: str) -> Account:
        """Open the tenant's login for this e-mail (Cognito sends the invitation) or reuse it."""
        client = aws.cognito()
        username = participant_username(tenant_id, email)
        try:
            try:
                user: dict[str, Any] = client.admin_create_user(
                    UserPoolId=self.pool,
                    Username=username,
                    UserAttributes=[
                        {"Name": "email", "Value": email},
                        {"Name": "email_verified", "Value": "true"},
                        {"Name": "custom:tenant_id", "Value": tenant_id},
                        {"Name": "locale", "Value": locale},
                    ],
                    DesiredDeliveryMediums=["EMAIL"],
                )["User"]
                groups: set[str] = set()
            except ClientError as exc:
                if exc.response["Error"]["Code"] != "UsernameExistsException":
                    raise
                user = client.admin_get_user(UserPoolId=self.pool, Username=username)
                groups = self._checked_groups(tenant_id, username, user)
                if not user.get("Enabled", True):
                    # A new participation validated for a person whose previous one was deactivated.
                    client.admin_enable_user(UserPoolId=self.pool, Username=username)
            if PARTICIPANT_GROUP not in groups:
                client.admin_add_user_to_group(
                    UserPoolId=self.pool, Username=username, GroupName=PARTICIPANT_GROUP
                )
        except ClientError as exc:
            raise IdentityError(exc.response["Error"]["Code"]) from exc
        except BotoCoreError as exc:
            raise IdentityError(type(exc).__name__) from exc
        return Account(username, str(_attr(user, "sub")))

    def disable_participant(self, tenant_id: str, username: str) -> None:
        client = aws.cognito()
        try:
            try:
                user = client.admin_get_user(UserPoolId=self.pool, Username=username)
            except ClientError as exc:
                if exc.response["Error"]["Code"] == "UserNotFoundException":
                    return
                raise
            self._checked_groups(tenant_id, username, user)
            client.admin_disable_user(UserPoolId=self.pool, Username=username)
        except ClientError as exc:
            raise IdentityError(exc.response["Error"]["Code"]) from exc
        except BotoCoreError as exc:
            raise IdentityError(type(exc).__name__) from exc

    def _checked_groups(self, tenant_id: str, username: str, user: dict[str, Any]) -> set[str]:
        """The login's groups, once it is known to be a participant login of this tenant."""
        listed = aws.cognito().admin_list_groups_for_user(UserPoolId=self.pool, Username=username)
        groups = {str(group["GroupName"]) for group in listed["Groups"]}
        scoped = username.startswith(participant_username(tenant_id, ""))
        if not scoped or groups - {PARTICIPANT_GROUP} or _attr(user, "custom:tenant_id") != tenant_id:
            logger.warning(
                "login is not a participant login of this tenant; left untouched",
                extra={"tenant_id": tenant_id, "user_sub": _attr(user, "sub")},
            )
            raise NotAParticipantLogin("not a participant login of this tenant")
        return groups
