"""Who sees what: the viewer of a search, whose visible types every index applies as a mandatory filter."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from salon.matchmaking.domain.catalogue import Card
from salon.registration.domain.participation_types import ParticipationTypeCreate, visible_types


@dataclass(frozen=True)
class Viewer:
    """A caller of the catalogue of one event of one tenant.

    ``registration_id`` is the viewer's own company (never listed to itself); None for organisers and
    staff, who see every type. ``requested`` holds the companies the viewer has already asked.
    """

    tenant_id: str
    event_id: str
    visible_types: frozenset[str]
    registration_id: str | None = None
    requested: frozenset[str] = frozenset()

    def sees(self, card: Card) -> bool:
        return (
            card.tenant_id == self.tenant_id
            and card.event_id == self.event_id
            and card.type in self.visible_types
            and card.registration_id != self.registration_id
        )


def participant_viewer(
    tenant_id: str,
    event_id: str,
    registration_id: str,
    type_code: str,
    types: Mapping[str, ParticipationTypeCreate],
    requested: Iterable[str] = (),
) -> Viewer:
    return Viewer(
        tenant_id=tenant_id,
        event_id=event_id,
        visible_types=frozenset(visible_types(type_code, dict(types))),
        registration_id=registration_id,
        requested=frozenset(requested),
    )


def staff_viewer(tenant_id: str, event_id: str, types: Iterable[str]) -> Viewer:
    return Viewer(tenant_id=tenant_id, event_id=event_id, visible_types=frozenset(types))
