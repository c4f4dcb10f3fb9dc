"""The Cognito adapter against the local cloud: it opens, reuses and disables participant logins only."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from salon.kernel.usernames import participant_username
from salon.registration.adapters.identity import CognitoIdentity, NotAParticipantLogin

pytestmark = pytest.mark.integration


@pytest.fixture
def identity(cloud: Any) -> CognitoIdentity:
    return CognitoIdentity(cloud.resources.user_pool_id)


def _email() -> str:
    return f"id-{uuid.uuid4().hex[:10]}@example.test"


def _user(cloud: Any, username: str) -> dict[str, Any]:
    idp = cloud.client("cognito-idp")
    user = dict(idp.admin_get_user(UserPoolId=cloud.resources.user_pool_id, Username=username))
    user["groups"] = [
        g["GroupName"]
        for g in idp.admin_list_groups_for_user(UserPoolId=cloud.resources.user_pool_id, Username=username)[
            "Groups"
        ]
    ]
    return user


def test_ensure_opens_once_then_reuses_and_reenables(cloud: Any, identity: CognitoIdentity) -> None:
    email = _email()
    first = identity.ensure_participant("t-id", email, "en")
    assert first.username == participant_username("t-id", email)
    user = _user(cloud, first.username)
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert attributes["custom:tenant_id"] == "t-id" and attributes["locale"] == "en"
    assert user["groups"] == ["participant"]

    identity.disable_participant("t-id", first.username)
    assert _user(cloud, first.username)["Enabled"] is False
    again = identity.ensure_participant("t-id", email, "en")  # a new participation validated
    assert again == first and _user(cloud, first.username)["Enabled"] is True


def test_a_login_holding_another_role_is_neither_linked_nor_disabled(
    cloud: Any, identity: CognitoIdentity
) -> None:
    email = _email()
    account = identity.ensure_participant("t-id", email, "fr")
    idp = cloud.client("cognito-idp")
    pool = cloud.resources.user_pool_id
    idp.admin_add_user_to_group(
        UserPoolId=pool, Username=account.username, GroupName="staff"
    )  # edited by hand

    with pytest.raises(NotAParticipantLogin):
        identity.ensure_participant("t-id", email, "fr")
    with pytest.raises(NotAParticipantLogin):
        identity.disable_participant("t-id", account.username)
    assert _user(cloud, account.username)["Enabled"] is True


def test_a_login_of_another_tenant_is_left_alone(cloud: Any, identity: CognitoIdentity) -> None:
    email = _email()
    account = identity.ensure_participant("t-one", email, "fr")
    with pytest.raises(NotAParticipantLogin):
        identity.disable_participant("t-two", account.username)
    idp = cloud.client("cognito-idp")
    idp.admin_update_user_attributes(
        UserPoolId=cloud.resources.user_pool_id,
        Username=account.username,
        UserAttributes=[{"Name": "custom:tenant_id", "Value": "t-two"}],
    )
    with pytest.raises(NotAParticipantLogin):
        identity.ensure_participant("t-one", email, "fr")
    assert _user(cloud, account.username)["Enabled"] is True
