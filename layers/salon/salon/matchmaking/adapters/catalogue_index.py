"""The port every catalogue engine implements. Every read takes a Viewer: there is no unfiltered search."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from salon.matchmaking.domain.catalogue import Card
from salon.matchmaking.domain.query import CataloguePage, CatalogueQuery
from salon.matchmaking.domain.suggestions import Wanted
from salon.matchmaking.domain.visibility import Viewer


class CatalogueIndex(Protocol):
    def upsert(self, cards: Sequence[Card]) -> None:
        """Add or replace cards (one stream batch); each card names its tenant."""

    def delete(self, tenant_id: str, registration_ids: Sequence[str]) -> None: ...

    def delete_event(self, tenant_id: str, event_id: str) -> None: ...

    def rebuild(self, tenant_id: str, event_id: str, cards: Iterable[Card]) -> None:
        """Replace every card of an event by ``cards`` (rebuilt from the table)."""

    def search(self, query: CatalogueQuery, viewer: Viewer) -> CataloguePage: ...

    def card(self, registration_id: str, viewer: Viewer) -> Card | None:
        """One card, or None when it is unknown or hidden from the viewer (a 404 either way)."""

    def candidates(self, wanted: Wanted, viewer: Viewer, limit: int) -> list[Card]:
        """Suggestion inputs: the visible cards with the highest weighted overlap, at least ``limit``
        of them when there are, and every card tied with the last one."""
