"""Keeping the catalogue index in step with the table: one company's card, or a whole event's.

A card is always rebuilt from what the table holds now (consistent reads), never from the event that
triggered it: events may arrive late, twice or out of order, the index still ends as the table says.
"""

from __future__ import annotations

from salon.kernel import aws, platform
from salon.matchmaking import deps
from salon.matchmaking.adapters import engines
from salon.matchmaking.adapters.catalogue_index import CatalogueIndex
from salon.matchmaking.domain.catalogue import LISTED_STATE, Card, build_card
from salon.matchmaking.domain.sectors import SectorTree

_PAGE = 100


def index() -> CatalogueIndex:
    return engines.catalogue_index(platform.get().settings, *aws.where())


def sector_tree(tenant_id: str, event_id: str) -> SectorTree:
    taxonomy = deps.get().events.get_taxonomy(tenant_id, event_id)
    return SectorTree(taxonomy.nodes if taxonomy else [])


def card_of(tenant_id: str, registration_id: str) -> tuple[str | None, Card | None]:
    """The registration's event and its card as the table says now (no card: not to be listed)."""
    bundle = deps.get().registrations.bundle(tenant_id, registration_id)
    if bundle is None:
        return None, None
    event_id = str(bundle.registration["event_id"])
    tree = sector_tree(tenant_id, event_id)
    participants, profiles = bundle.listed()
    card = build_card(tenant_id, bundle.registration, participants, profiles, tree)
    return event_id, card


def reindex_registration(tenant_id: str, registration_id: str) -> bool:
    """Upsert the company's card, or delete it when it is no longer listed; True when it is listed."""
    _, card = card_of(tenant_id, registration_id)
    if card is None:
        index().delete(tenant_id, [registration_id])
        return False
    index().upsert([card])
    return True


def cards_of_event(tenant_id: str, event_id: str) -> list[Card]:
    """Every card of an event, from the table: its validated registrations, each read whole."""
    registrations = deps.get().registrations
    tree = sector_tree(tenant_id, event_id)
    cards: list[Card] = []
    cursor: str | None = None
    while True:
        page, cursor = registrations.list_for_event(
            tenant_id, event_id, state=LISTED_STATE, type_=None, text=None, limit=_PAGE, cursor=cursor
        )
        for registration in page:
            bundle = registrations.bundle(tenant_id, registration["registration_id"])
            card = build_card(tenant_id, bundle.registration, *bundle.listed(), tree) if bundle else None
            if card is not None:
                cards.append(card)
        if not cursor:
            return cards


def rebuild_event(tenant_id: str, event_id: str) -> int:
    """Replace the event's cards in the index by those the table gives; the number of cards."""
    cards = cards_of_event(tenant_id, event_id)
    index().rebuild(tenant_id, event_id, cards)
    return len(cards)
