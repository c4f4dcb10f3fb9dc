"""The catalogue over HTTP: who sees what (types, tenants, events), search by text and facets, the
index following validations, profile changes and deactivations, suggestions with reasons, staff
reads audited, the rebuild, and bad input answered with problems."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from salon.kernel.usernames import participant_username
from test_register_support import Tenant, is_problem, make_tenant, ok, registration_body

pytestmark = pytest.mark.e2e

PASSWORD = "Catalogue-Passw0rd-1"


@dataclass
class Company:
    registration_id: str
    name: str
    participant_ids: list[str]
    api: Any  # the first participant, signed in


@dataclass
class World:
    tenant: Tenant
    buyer: Company
    other_buyer: Company
    supplier: Company
    other_supplier: Company


def register(cloud: Any, api: Any, t: Tenant, type_: str, name: str, validate: bool = True) -> Company:
    body = registration_body(people=2, type=type_)
    body["company"]["name"] = name
    created = ok(api.post(f"/events/{t.event_id}/registrations", json=body), 201)
    rid = created["registration_id"]
    pids = [p["participant_id"] for p in created["participants"]]
    if not validate:
        return Company(rid, name, pids, None)
    ok(t.organizer.api.post(f"/registrations/{rid}/decision", json={"decision": "validate"}))
    username = participant_username(t.tenant_id, body["participants"][0]["email"])
    cloud.set_password(username, PASSWORD)
    return Company(rid, name, pids, api.with_token(cloud.login(username, PASSWORD)))


def eventually(check: Callable[[], Any], timeout: float = 15.0) -> tuple[Any, float]:
    """Poll until ``check`` returns something truthy; the value and the seconds it took."""
    started = time.monotonic()
    while True:
        value = check()
        if value:
            return value, time.monotonic() - started
        assert time.monotonic() - started < timeout, "not reached in time"
        time.sleep(0.05)


def catalogue(client: Any, event_id: str, **params: str) -> dict[str, Any]:
    return ok(client.get(f"/events/{event_id}/catalogue", params=params))


def ids(page: dict[str, Any]) -> set[str]:
    return {item["registration_id"] for item in page["items"]}


_WORLD: list[World] = []


@pytest.fixture
def world(cloud: Any, api: Any, user_factory: Any) -> World:
    """One tenant whose event has two validated buyers and two validated suppliers (built once)."""
    if not _WORLD:
        t = make_tenant(user_factory, "catalogue")
        tag = uuid.uuid4().hex[:6]
        made = [
            register(cloud, api, t, type_, f"{name} {tag}")
            for type_, name in (
                ("buyer", "Acheteur Alpha"),
                ("buyer", "Acheteur Beta"),
                ("supplier", "Emballages Dupont"),
                ("supplier", "Ingénierie Martin"),
            )
        ]
        w = World(t, *made)
        eventually(lambda: len(catalogue(w.buyer.api, t.event_id)["items"]) == 2)
        eventually(lambda: len(catalogue(w.supplier.api, t.event_id)["items"]) == 2)
        _WORLD.append(w)
    return _WORLD[0]


def test_a_type_never_sees_a_type_its_rules_hide(world: World) -> None:
    event_id = world.tenant.event_id
    as_buyer = catalogue(world.buyer.api, event_id)
    as_supplier = catalogue(world.supplier.api, event_id)

    assert ids(as_buyer) == {world.supplier.registration_id, world.other_supplier.registration_id}
    assert {item["type"] for item in as_buyer["items"]} == {"supplier"}
    assert [f["value"] for f in as_buyer["facets"]["type"]] == ["supplier"]
    assert ids(as_supplier) == {world.buyer.registration_id, world.other_buyer.registration_id}
    assert [f["value"] for f in as_supplier["facets"]["type"]] == ["buyer"]
    # nor by filter, by id or in suggestions
    assert catalogue(world.buyer.api, event_id, type="buyer")["items"] == []
    hidden = world.buyer.api.get(f"/events/{event_id}/catalogue/{world.other_buyer.registration_id}")
    assert hidden.status_code == 404 and is_problem(hidden)
    shown = ok(world.buyer.api.get(f"/events/{event_id}/catalogue/{world.supplier.registration_id}"))
    assert shown["company_name"] == world.supplier.name
    suggested = ok(world.buyer.api.get(f"/events/{event_id}/suggestions"))
    assert {item["type"] for item in suggested["items"]} <= {"supplier"}


def test_cards_hold_names_and_job_titles_but_no_email_or_phone(world: World) -> None:
    card = ok(
        world.buyer.api.get(f"/events/{world.tenant.event_id}/catalogue/{world.supplier.registration_id}")
    )

    assert [p["job_title"] for p in card["people"]] == ["Acheteuse", "Acheteuse"]
    assert "@" not in str(card) and "+33" not in str(card)


def test_text_search_folds_accents_stems_and_finds_a_partial_name(world: World) -> None:
    event_id = world.tenant.event_id

    assert ids(catalogue(world.buyer.api, event_id, q="emballage")) == {world.supplier.registration_id}
    assert ids(catalogue(world.buyer.api, event_id, q="ingenierie")) == {world.other_supplier.registration_id}
    assert ids(catalogue(world.buyer.api, event_id, q="Dup")) == {world.supplier.registration_id}


def test_a_profile_change_is_searchable_within_two_seconds(world: World) -> None:
    event_id, word = world.tenant.event_id, f"zircone{uuid.uuid4().hex[:6]}"
    profile = {"needs": [], "offers": ["IND.MEC.USI"], "description": {"fr": f"Usinage de {word}"}}

    ok(world.supplier.api.put("/me/profile", json=profile))
    found, delay = eventually(lambda: ids(catalogue(world.buyer.api, event_id, q=word)))

    print(f"profile change searchable after {delay * 1000:.0f} ms")
    assert found == {world.supplier.registration_id}
    assert delay < 2.0


def test_suggestions_match_needs_and_offers_with_reasons_in_my_locale(world: World) -> None:
    event_id = world.tenant.event_id
    ok(world.other_supplier.api.put("/me/profile", json={"offers": ["IND.MEC.USI"], "needs": ["SRV"]}))
    ok(world.buyer.api.put("/me/profile", json={"needs": ["IND.MEC.USI"], "offers": ["SRV"]}))

    def suggested() -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = ok(world.buyer.api.get(f"/events/{event_id}/suggestions"))["items"]
        return items if items and items[0]["registration_id"] == world.other_supplier.registration_id else []

    [first, *_], _ = eventually(suggested)
    directions = {(r["direction"], r["code"]) for r in first["reasons"]}
    assert ("offers_what_you_need", "IND.MEC.USI") in directions
    assert ("needs_what_you_offer", "SRV") in directions
    english = ok(
        world.buyer.api.get(f"/events/{event_id}/suggestions", headers={"Accept-Language": "en-GB,en;q=0.9"})
    )
    assert english["items"][0]["reasons"][0]["label"] == "Label"  # the test taxonomy's English label


def test_a_deactivated_participant_leaves_the_card_and_a_refused_company_never_enters(
    cloud: Any, api: Any, world: World
) -> None:
    t, event_id = world.tenant, world.tenant.event_id
    leaving = world.other_buyer.participant_ids[1]
    ok(
        t.organizer.api.post(
            f"/registrations/{world.other_buyer.registration_id}/participants/{leaving}/deactivate"
        )
    )
    refused = register(cloud, api, t, "buyer", f"Refusée {uuid.uuid4().hex[:6]}", validate=False)
    ok(
        t.organizer.api.post(
            f"/registrations/{refused.registration_id}/decision",
            json={"decision": "refuse", "reason": "hors cible"},
        )
    )

    def without_them() -> dict[str, Any] | None:
        card = ok(world.supplier.api.get(f"/events/{event_id}/catalogue/{world.other_buyer.registration_id}"))
        return card if leaving not in {p["participant_id"] for p in card["people"]} else None

    card, _ = eventually(without_them)
    assert [p["participant_id"] for p in card["people"]] == world.other_buyer.participant_ids[:1]
    gone = world.supplier.api.get(f"/events/{event_id}/catalogue/{refused.registration_id}")
    assert gone.status_code == 404


def test_staff_see_every_type_and_their_reads_are_audited(world: World) -> None:
    t = world.tenant
    page = catalogue(t.staff.api, t.event_id)

    assert {item["type"] for item in page["items"]} == {"buyer", "supplier"}
    trail = ok(t.dpo.api.get("/audit", params={"actor_id": t.staff.sub}))["items"]
    assert any(record["action"] == "catalogue.search" for record in trail)


def test_participants_of_another_tenant_or_not_validated_get_no_catalogue(
    cloud: Any, api: Any, user_factory: Any, world: World
) -> None:
    other = make_tenant(user_factory, "catalogue-other")
    stranger = register(cloud, api, other, "buyer", f"Ailleurs {uuid.uuid4().hex[:6]}")

    assert stranger.api.get(f"/events/{world.tenant.event_id}/catalogue").status_code == 404
    card = stranger.api.get(f"/events/{other.event_id}/catalogue/{world.supplier.registration_id}")
    assert card.status_code == 404


def test_the_catalogue_is_closed_before_catalogue_opens_at(cloud: Any, api: Any, user_factory: Any) -> None:
    t = make_tenant(user_factory, "catalogue-closed")
    ok(t.organizer.api.patch(f"/events/{t.event_id}", json={"key_dates": {"catalogue_opens_at": None}}))
    early = register(cloud, api, t, "buyer", f"Pressé {uuid.uuid4().hex[:6]}")

    closed = early.api.get(f"/events/{t.event_id}/catalogue")
    assert closed.status_code == 409 and closed.json()["type"].endswith("/window-closed")
    assert catalogue(t.organizer.api, t.event_id)["items"] is not None  # organisers read it at any time


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"colour": "red"}, "query.colour"),
        ({"q": "x" * 201}, "q"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"limit": "1000"}, "limit"),
    ],
)
def test_bad_queries_are_422_problems_naming_the_field(
    world: World, params: dict[str, str], field: str
) -> None:
    response = world.buyer.api.get(f"/events/{world.tenant.event_id}/catalogue", params=params)

    assert response.status_code == 422 and is_problem(response)
    assert field in {error["field"] for error in response.json()["errors"]}


def test_pages_follow_the_cursor_and_the_rebuild_gives_the_same_results(world: World) -> None:
    t = world.tenant
    first = catalogue(t.organizer.api, t.event_id, limit="2")
    second = catalogue(t.organizer.api, t.event_id, limit="2", cursor=first["next_cursor"])
    before = [ids(first), ids(second), ids(catalogue(t.organizer.api, t.event_id, q="emballage"))]

    rebuilt = ok(t.organizer.api.post(f"/events/{t.event_id}/catalogue/rebuild"))
    first = catalogue(t.organizer.api, t.event_id, limit="2")
    second = catalogue(t.organizer.api, t.event_id, limit="2", cursor=first["next_cursor"])

    assert rebuilt == {"event_id": t.event_id, "indexed": 4}
    assert [ids(first), ids(second), ids(catalogue(t.organizer.api, t.event_id, q="emballage"))] == before
    assert not ids(first) & ids(second)
