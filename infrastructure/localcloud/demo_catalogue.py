"""Catalogue cards of the demo companies, built through the real card builder from stored-shape records.

Pure: the records have the attributes the registrations repository stores (see registrations_repo.py),
so the cards come out exactly as the indexer will build them from the table.
"""

from __future__ import annotations

from typing import Any

from salon.matchmaking.domain.catalogue import Card, build_card
from salon.matchmaking.domain.sectors import SectorTree
from salon.registration.domain.participation_types import ParticipationTypeCreate
from salon.registration.domain.taxonomy import TaxonomyInput

from localcloud.demo_data import (
    DEFAULT_SEED,
    DemoCompany,
    generate_companies,
    participation_type_payloads,
    taxonomy_payload,
)


def demo_tree() -> SectorTree:
    return SectorTree(TaxonomyInput.model_validate(taxonomy_payload()).nodes)


def demo_types() -> dict[str, ParticipationTypeCreate]:
    types = [ParticipationTypeCreate.model_validate(p) for p in participation_type_payloads()]
    return {t.code: t for t in types}


def stored_records(
    company: DemoCompany, event_id: str
) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """The registration, participants and profiles of a validated demo company, as the table holds them."""
    rid = f"reg_{company.index:06d}"
    participants: list[dict[str, Any]] = [
        {
            "participant_id": f"par_{company.index:06d}_{i}",
            "registration_id": rid,
            "event_id": event_id,
            "position": i,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": person.email,
            "phone": person.phone,
            "job_title": person.job_title,
            "locale": person.locale,
            "account_status": "active",
        }
        for i, person in enumerate(company.participants)
    ]
    registration: dict[str, Any] = {
        "registration_id": rid,
        "event_id": event_id,
        "type": company.type_code,
        "state": "validated",
        "locale": company.locale,
        "company_name": company.name,
        "country": company.country,
        "website": company.website,
        "answers": {"sectors": list(company.sectors), "company_size": company.size},
        "participant_ids": [p["participant_id"] for p in participants],
    }
    lead = str(participants[0]["participant_id"])
    profiles = {
        lead: {
            "participant_id": lead,
            "event_id": event_id,
            "needs": list(company.needs),
            "offers": list(company.offers),
            "description": company.description,
        }
    }
    return registration, participants, profiles


def demo_cards(
    tenant_id: str, event_id: str, count: int, seed: int = DEFAULT_SEED, tree: SectorTree | None = None
) -> list[Card]:
    tree = tree or demo_tree()
    cards: list[Card] = []
    for company in generate_companies(seed=seed, count=count):
        card = build_card(tenant_id, *stored_records(company, event_id), tree)
        if card is not None:
            cards.append(card)
    return cards
