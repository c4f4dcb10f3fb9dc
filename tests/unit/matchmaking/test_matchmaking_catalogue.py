"""The catalogue card (what is indexed, and what never is) and the search query's validation."""

from __future__ import annotations

import json
from typing import Any

import pytest
from localcloud.demo_catalogue import demo_tree, stored_records
from localcloud.demo_data import generate_companies
from salon.kernel.errors import ValidationFailed
from salon.matchmaking.domain.catalogue import build_card
from salon.matchmaking.domain.query import MAX_QUERY_LENGTH, CatalogueQuery, parse_query

TREE = demo_tree()


def records(state: str = "validated") -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]:
    registration = {
        "registration_id": "reg_1",
        "event_id": "evt_1",
        "type": "supplier",
        "state": state,
        "company_name": "Emballages du Forez",
        "country": "FR",
        "website": "https://www.emballages-forez.example.fr",
        "answers": {"sectors": ["LOG.EMB"], "company_size": "10-49", "vat_number": "FR12345678901"},
    }
    participants = [
        {
            "participant_id": "par_1",
            "first_name": "Léa",
            "last_name": "Martin",
            "email": "lea.martin@emballages-forez.example.fr",
            "phone": "+33199001234",
            "job_title": "Directrice commerciale",
            "account_status": "active",
        },
        {
            "participant_id": "par_2",
            "first_name": "Paul",
            "last_name": "Gone",
            "email": "paul.gone@emballages-forez.example.fr",
            "phone": "+33199005678",
            "account_status": "deactivated",
        },
    ]
    profiles = {
        "par_1": {"needs": ["LOG.TRA.ROU"], "offers": ["LOG.EMB.BOI"], "description": {"fr": "Caisses bois"}},
        "par_2": {"needs": ["MEC.USI.FR5"], "offers": [], "description": {"en": "Gone"}},
    }
    return registration, participants, profiles


def test_codes_carry_their_ancestors_and_sectors_include_needs_and_offers() -> None:
    card = build_card("t1", *records(), TREE)
    assert card is not None
    assert card.offers == ("LOG", "LOG.EMB", "LOG.EMB.BOI")
    assert card.needs == ("LOG", "LOG.TRA", "LOG.TRA.ROU")
    assert set(card.sectors) == {"LOG", "LOG.EMB", "LOG.EMB.BOI", "LOG.TRA", "LOG.TRA.ROU"}
    assert "Emballage" in card.sector_labels["fr"] and "Packaging" in card.sector_labels["en"]
    assert (card.size, card.country, card.type) == ("10-49", "FR", "supplier")


def test_a_deactivated_participant_and_their_profile_are_left_out() -> None:
    card = build_card("t1", *records(), TREE)
    assert card is not None
    assert [p.participant_id for p in card.people] == ["par_1"]
    assert "MEC.USI.FR5" not in card.needs
    assert card.description == {"fr": "Caisses bois"}


@pytest.mark.parametrize("state", ["submitted", "refused"])
def test_only_validated_registrations_are_listed(state: str) -> None:
    assert build_card("t1", *records(state), TREE) is None


def test_no_email_or_phone_anywhere_in_a_card() -> None:
    registration, participants, profiles = records()
    card = build_card("t1", registration, participants, profiles, TREE)
    assert card is not None
    indexed = json.dumps(card.model_dump(mode="json"), ensure_ascii=False) + card.text("fr") + card.text("en")
    for person in participants:
        for secret in (person["email"], person["phone"], person["email"].split("@")[0], person["phone"][3:]):
            assert secret not in indexed
    assert "@" not in indexed
    assert "Léa" in indexed  # names and job titles are what the catalogue shows


def test_no_email_or_phone_in_any_demo_card() -> None:
    for company in generate_companies(count=60):
        registration, participants, profiles = stored_records(company, "evt_1")
        card = build_card("t1", registration, participants, profiles, TREE)
        assert card is not None
        indexed = json.dumps(card.model_dump(mode="json"), ensure_ascii=False)
        assert not any(p["email"] in indexed or p["phone"] in indexed for p in participants)


def errors_of(params: dict[str, str]) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        parse_query(params)
    return {e.field: e.message for e in caught.value.errors}


def test_unknown_filters_are_refused_by_name() -> None:
    assert errors_of({"q": "x", "colour": "red", "city": "Lyon"}) == {
        "city": "unknown filter",
        "colour": "unknown filter",
    }


def test_oversized_query_and_bad_values_are_refused() -> None:
    assert "q" in errors_of({"q": "x" * (MAX_QUERY_LENGTH + 1)})
    assert "limit" in errors_of({"limit": "0"})
    assert "limit" in errors_of({"limit": "101"})
    assert "country" in errors_of({"country": "France"})
    assert "requested" in errors_of({"requested": "maybe"})


@pytest.mark.parametrize("cursor", ["%%%", "bm90IGpzb24", "eyJvIjogLTEsICJmIjogIngifQ", "eyJ4IjogMX0"])
def test_malformed_cursors_are_refused(cursor: str) -> None:
    assert errors_of({"cursor": cursor}) == {"cursor": "malformed cursor"}


def test_a_cursor_resumes_its_own_search_only() -> None:
    first = parse_query({"q": "usinage", "country": "FR", "limit": "10"})
    cursor = first.next_cursor(total=35)
    assert cursor is not None
    assert parse_query({"q": "usinage", "country": "FR", "limit": "10", "cursor": cursor}).offset == 10
    assert errors_of({"q": "tôlerie", "country": "FR", "cursor": cursor}) == {
        "cursor": "the cursor belongs to another search"
    }
    assert CatalogueQuery(offset=30, limit=10).next_cursor(total=35) is None


def test_parameters_are_typed() -> None:
    query = parse_query(
        {"q": "  emballage ", "requested": "false", "limit": "5", "country": "fr", "type": ""}
    )
    assert (query.q, query.requested, query.limit, query.country, query.type) == (
        "emballage",
        False,
        5,
        "FR",
        None,
    )
