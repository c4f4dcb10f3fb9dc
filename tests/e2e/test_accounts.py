"""Logins per organiser over HTTP: a person's logins in two tenants never meet, staff logins are never
touched by a registration, and the public answer does not tell whether an e-mail is known anywhere."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from salon.kernel.usernames import participant_username, staff_username
from test_register_support import Tenant, is_problem, make_event, ok, registration_body, tenant

pytestmark = pytest.mark.e2e

PASSWORD = "Local-Passw0rd-2026"


@pytest.fixture
def pair(user_factory: Any) -> tuple[Tenant, Tenant]:
    return tenant(user_factory, "acc-a"), tenant(user_factory, "acc-b")


def register(api: Any, event_id: str, body: dict[str, Any]) -> Any:
    return api.post(f"/events/{event_id}/registrations", json=body)


def body_for(email: str, tag: str, locale: str = "fr") -> dict[str, Any]:
    """The same registration for everyone but the e-mail (so the answers can be compared)."""
    body = registration_body()
    body["company"]["name"] = f"Zéphyr Industries {tag}"
    body["participants"][0].update(first_name="Aurélie", last_name="Dupont", email=email, locale=locale)
    return body


def validate(organizer: Any, registration_id: str) -> dict[str, Any]:
    return ok(organizer.api.post(f"/registrations/{registration_id}/decision", json={"decision": "validate"}))


def sign_in(cloud: Any, api: Any, username: str) -> Any:
    cloud.set_password(username, PASSWORD)
    return api.with_token(cloud.login(username, PASSWORD))


def without_ids(response: Any) -> tuple[int, str, dict[str, Any]]:
    data = response.json()
    data.pop("registration_id"), data.pop("created_at"), data.pop("event_id")
    data["participants"] = [sorted(p) for p in data["participants"]]
    return response.status_code, response.headers["Content-Type"], data


def test_the_public_answer_is_the_same_for_a_known_and_an_unknown_email(
    pair: tuple[Tenant, Tenant], api: Any
) -> None:
    a, b = pair
    known, unknown = (
        f"known-{uuid.uuid4().hex[:8]}@company.example",
        f"new-{uuid.uuid4().hex[:8]}@company.example",
    )
    first = register(api, a.event_id, body_for(known, "same"))
    validate(a.organizer, first.json()["registration_id"])  # the e-mail now has a login in tenant A
    in_b = register(api, b.event_id, body_for(known, "same"))
    fresh = register(api, b.event_id, body_for(unknown, "same"))

    assert without_ids(first) == without_ids(in_b) == without_ids(fresh)
    assert without_ids(fresh)[0] == 201
    assert without_ids(fresh)[2]["participants"] == [["participant_id"]]
    # The same e-mail twice in one event is still refused: that is this event's own registrations.
    again = register(api, b.event_id, body_for(known, "again"))
    assert again.status_code == 409 and is_problem(again)
    assert again.json()["errors"][0]["field"] == "participants[0].email"


def test_a_second_organiser_gets_its_own_login_and_sees_only_its_data(
    pair: tuple[Tenant, Tenant], api: Any, cloud: Any
) -> None:
    a, b = pair
    email = f"Person-{uuid.uuid4().hex[:8]}@Company.example"
    rid_a = ok(register(api, a.event_id, body_for(email, "a")), 201)["registration_id"]
    validate(a.organizer, rid_a)
    in_a = sign_in(cloud, api, participant_username(a.tenant_id, email))
    before = ok(in_a.get("/me"))

    rid_b = ok(register(api, b.event_id, body_for(email, "b")), 201)["registration_id"]
    assert [p["account_status"] for p in validate(b.organizer, rid_b)["participants"]] == ["active"]
    in_b = sign_in(cloud, api, participant_username(b.tenant_id, email))
    mine = ok(in_b.get("/me"))
    assert mine["tenant_id"] == b.tenant_id
    assert [p["registration_id"] for p in mine["participations"]] == [rid_b]
    assert mine["user_id"] != before["user_id"]

    # Tenant A's login and data are as they were.
    assert ok(in_a.get("/me")) == before
    assert (
        ok(api.with_token(cloud.login(participant_username(a.tenant_id, email), PASSWORD)).get("/me"))
        == before
    )


def test_a_registration_with_a_staff_email_never_touches_the_staff_login(
    pair: tuple[Tenant, Tenant], api: Any, cloud: Any
) -> None:
    a, _ = pair
    colleague = a.staff
    created = ok(register(api, a.event_id, body_for(colleague.email, "staff")), 201)
    rid, pid = created["registration_id"], created["participants"][0]["participant_id"]
    validate(a.organizer, rid)
    ok(a.organizer.api.post(f"/registrations/{rid}/participants/{pid}/deactivate"))

    idp = cloud.client("cognito-idp")
    pool = cloud.resources.user_pool_id
    staff_login = staff_username(a.tenant_id, colleague.email)
    groups = idp.admin_list_groups_for_user(UserPoolId=pool, Username=staff_login)["Groups"]
    assert [group["GroupName"] for group in groups] == ["staff"]
    assert idp.admin_get_user(UserPoolId=pool, Username=staff_login)["Enabled"] is True
    token = cloud.login(staff_login, colleague.password)
    assert api.with_token(token).get(f"/events/{a.event_id}/registrations").status_code == 200
    # The participant side of that e-mail is a login of its own, now disabled.
    participant_login = idp.admin_get_user(
        UserPoolId=pool, Username=participant_username(a.tenant_id, colleague.email)
    )
    assert participant_login["Enabled"] is False


def test_deactivation_disables_the_login_only_when_no_other_participation_uses_it(
    pair: tuple[Tenant, Tenant], api: Any, cloud: Any
) -> None:
    a, _ = pair
    second_event = make_event(a.organizer)
    email = f"twice-{uuid.uuid4().hex[:8]}@company.example"
    participations = []
    for event_id in (a.event_id, second_event):
        created = ok(register(api, event_id, body_for(email, "twice")), 201)
        validate(a.organizer, created["registration_id"])
        participations.append((created["registration_id"], created["participants"][0]["participant_id"]))
    username = participant_username(a.tenant_id, email)
    person = sign_in(cloud, api, username)
    assert {p["event_id"] for p in ok(person.get("/me"))["participations"]} == {a.event_id, second_event}

    (rid1, pid1), (rid2, pid2) = participations
    ok(a.organizer.api.post(f"/registrations/{rid1}/participants/{pid1}/deactivate"))
    still = api.with_token(cloud.login(username, PASSWORD))
    assert [p["event_id"] for p in ok(still.get("/me"))["participations"]] == [second_event]

    ok(a.organizer.api.post(f"/registrations/{rid2}/participants/{pid2}/deactivate"))
    with pytest.raises(cloud.client("cognito-idp").exceptions.NotAuthorizedException):
        cloud.login(username, PASSWORD)


def test_validation_sends_localized_invitations_through_ses_and_refusal_sends_none(
    pair: tuple[Tenant, Tenant], api: Any, cloud: Any
) -> None:
    a, _ = pair
    tag = uuid.uuid4().hex[:8]
    body = registration_body(people=2)
    french, english = f"fr-{tag}@company.example", f"en-{tag}@company.example"
    body["participants"][0].update(email=french, locale="fr")
    body["participants"][1].update(email=english, locale="en")
    refused_email = f"refused-{tag}@company.example"
    refused = ok(register(api, a.event_id, body_for(refused_email, tag)), 201)["registration_id"]
    validated = ok(register(api, a.event_id, body), 201)["registration_id"]
    assert not [m for m in cloud.sent_emails() if set(m.to) & {french, english}]  # nothing at submission

    validate(a.organizer, validated)
    ok(
        a.organizer.api.post(
            f"/registrations/{refused}/decision", json={"decision": "refuse", "reason": "full"}
        )
    )

    sent = {m.to: m for m in cloud.sent_emails() if set(m.to) & {french, english, refused_email}}
    assert set(sent) == {(french,), (english,)}
    assert sent[(french,)].subject == "Votre accès participant Salon"
    assert sent[(english,)].subject == "Your Salon participant access"
    assert {m.source for m in sent.values()} == {"Salon <no-reply@salon.example>"}
    for address, message in sent.items():
        assert participant_username(a.tenant_id, address[0]) in message.body
        assert "{####}" not in message.body and "{username}" not in message.body
    # The temporary password in the invitation opens the login (Cognito then asks for a new one).
    (temporary,) = re.findall(r"<b>(.+?)</b>", sent[(english,)].body)
    challenge = cloud.client("cognito-idp").initiate_auth(
        ClientId=cloud.resources.user_pool_client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": participant_username(a.tenant_id, english), "PASSWORD": temporary},
    )
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"


def test_an_email_too_long_for_a_login_is_refused_on_its_field(pair: tuple[Tenant, Tenant], api: Any) -> None:
    a, _ = pair
    local = "x" * (128 - len(participant_username(a.tenant_id, "@company.example")) + 1)
    refused = register(api, a.event_id, body_for(f"{local}@company.example", "long"))
    assert refused.status_code == 422 and is_problem(refused)
    assert [e["field"] for e in refused.json()["errors"]] == ["participants[0].email"]
    fits = register(api, a.event_id, body_for(f"{local[1:]}@company.example", "long"))
    assert fits.status_code == 201, fits.text
