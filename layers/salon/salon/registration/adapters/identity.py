"""Cognito accounts of participants: create (idempotently), disable."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

from botocore.exceptions import BotoCoreError, ClientError

from salon.kernel import aws


@dataclass(frozen=True)
class Account:
    username: str
    sub: str
    status: Literal["active", "conflict"]


class IdentityError(Exception):
    """Cognito could not be reached or refused the call."""


class Identity(Protocol):
    def ensure_participant(self, email: str, tenant_id: str) -> Account: ...

    def disable(self, username: str) -> None: ...


def _attr(user: dict[str, Any], name: str) -> str | None:
    for attr in user.get("Attributes", user.get("UserAttributes", [])):
        if attr["Name"] == name:
            return str(attr["Value"])
    return None


class CognitoIdentity:
    def __init__(self, user_pool_id: str) -> None:
        self.pool = user_pool_id

    def ensure_participant(self, email: str, tenant_id: str) -> Account:
        """Create the account (Cognito e-mails the invitation) or reuse the tenant's existing one."""
        client = aws.cognito()
        try:
            try:
                created = client.admin_create_user(
                    UserPoolId=self.pool,
                    Username=email,
                    UserAttributes=[
                        {"Name": "email", "Value": email},
                        {"Name": "email_verified", "Value": "true"},
                        {"Name": "custom:tenant_id", "Value": tenant_id},
                    ],
                    DesiredDeliveryMediums=["EMAIL"],
                )
                user: dict[str, Any] = created["User"]
                username = str(user["Username"])
            except ClientError as exc:
                if exc.response["Error"]["Code"] != "UsernameExistsException":
                    raise
                user = client.admin_get_user(UserPoolId=self.pool, Username=email)
                username = str(user["Username"])
                if _attr(user, "custom:tenant_id") != tenant_id:
                    return Account(username, str(_attr(user, "sub")), "conflict")
            client.admin_add_user_to_group(UserPoolId=self.pool, Username=username, GroupName="participant")
        except ClientError as exc:
            raise IdentityError(exc.response["Error"]["Code"]) from exc
        except BotoCoreError as exc:
            raise IdentityError(type(exc).__name__) from exc
        return Account(username, str(_attr(user, "sub")), "active")

    def disable(self, username: str) -> None:
        try:
            aws.cognito().admin_disable_user(UserPoolId=self.pool, Username=username)
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "UserNotFoundException":
                return
            raise IdentityError(exc.response["Error"]["Code"]) from exc
        except BotoCoreError as exc:
            raise IdentityError(type(exc).__name__) from exc
