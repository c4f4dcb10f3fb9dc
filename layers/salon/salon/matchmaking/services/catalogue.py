"""The catalogue of an event as its callers read it: search, one company, suggestions, rebuild.

Participants read it once their registration is validated and the catalogue is open
(``key_dates.catalogue_opens_at``), seeing only the types their own type may see; organisers and staff
see every type at any time, and their reads are audited (the catalogue holds names and job titles).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict

from salon.kernel import audit
from salon.kernel.audit_record import AuditAction
from salon.kernel.caller import Caller, require
from salon.kernel.errors import Forbidden, NotFound, WindowClosed
from salon.kernel.idempotency import idempotent
from salon.kernel.principal import READ_CATALOGUE, REBUILD_CATALOGUE, REVIEW, SELF, Principal
from salon.kernel.values import DEFAULT_LOCALE, LOCALES, Locale, preferred_locale
from salon.matchmaking import deps
from salon.matchmaking.domain.catalogue import LISTED_STATE, Card, build_card
from salon.matchmaking.domain.catalogue_view import (
    CatalogueItem,
    CatalogueResult,
    Labeller,
    SuggestionResult,
    item,
    result,
    suggestion_item,
)
from salon.matchmaking.domain.query import parse_query
from salon.matchmaking.domain.requests import LIVE_STATES
from salon.matchmaking.domain.sectors import SectorTree
from salon.matchmaking.domain.suggestions import suggest, wanted
from salon.matchmaking.domain.visibility import Viewer, participant_viewer, staff_viewer
from salon.matchmaking.services.indexing import index, rebuild_event
from salon.registration.domain.events import Event

_PAGE = 100
READ_FIELDS = ("company_name", "first_name", "last_name", "job_title", "needs", "offers", "description")


@dataclass(frozen=True)
class Access:
    """Who reads the event's catalogue, and how: the viewer, the labels, and the caller's own card."""

    principal: Principal
    viewer: Viewer
    labels: Labeller
    me: Card | None  # the participant's own company, as the table holds it (None for staff)

    @property
    def staff(self) -> bool:
        return self.me is None


class RebuildCatalogue(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: str


class Rebuilt(BaseModel):
    event_id: str
    indexed: int


def _event(tenant_id: str, event_id: str) -> Event:
    event = deps.get().events.get_event(tenant_id, event_id)
    if event is None:
        raise NotFound("no such event")
    return event


def _locale(caller: Caller, fallback: Any) -> Locale:
    chosen = preferred_locale(caller.accept_language)
    if chosen is not None:
        return chosen
    return next((locale for locale in LOCALES if locale == fallback), DEFAULT_LOCALE)


def requested_by(tenant_id: str, event_id: str, registration_id: str) -> frozenset[str]:
    """The companies a live meeting request (sent or approved, either direction) joins to mine."""
    requests = deps.get().requests
    joined: set[str] = set()
    for state in sorted(LIVE_STATES):
        cursor: str | None = None
        while True:
            sent, cursor = requests.sent(tenant_id, event_id, registration_id, state, _PAGE, cursor)
            joined.update(r.to_registration_id for r in sent)
            if not cursor:
                break
        while True:
            received, cursor = requests.received(tenant_id, registration_id, state, _PAGE, cursor)
            joined.update(r.from_registration_id for r in received if r.event_id == event_id)
            if not cursor:
                break
    return frozenset(joined)


def access(caller: Caller, event_id: str, allowed: frozenset[str] = READ_CATALOGUE) -> Access:
    principal = require(caller, allowed)
    d = deps.get()
    tenant_id = principal.tenant_id
    event = _event(tenant_id, event_id)
    configuration = d.events.configuration(tenant_id, event_id)
    tree = SectorTree(configuration.taxonomy.nodes if configuration.taxonomy else [])
    types = {t.code: t for t in configuration.types}
    type_labels = {code: t.labels.model_dump() for code, t in types.items()}
    if principal.has_any(REVIEW & allowed):
        viewer = staff_viewer(tenant_id, event_id, types)
        return Access(principal, viewer, Labeller(tree, type_labels, _locale(caller, None)), None)
    links = [
        link for link in d.registrations.links_of(tenant_id, principal.sub) if link["event_id"] == event_id
    ]
    if not links:
        raise NotFound("no participation of yours in this event")
    link = min(links, key=lambda found: str(found["participant_id"]))
    bundle = d.registrations.bundle(tenant_id, link["registration_id"])
    if bundle is None:
        raise NotFound("no participation of yours in this event")
    registration = bundle.registration
    if registration.get("state") != LISTED_STATE:
        raise Forbidden("your registration is not validated: the catalogue opens to validated companies")
    opens = event.key_dates.catalogue_opens_at
    if opens is None or d.clock() < opens:
        raise WindowClosed("the catalogue is not open yet (catalogue_opens_at)")
    me = build_card(tenant_id, registration, *bundle.listed(), tree)
    if me is None:  # validated above: a card is always built
        raise Forbidden("your registration is not validated")
    person = next((p for p in bundle.participants if p["participant_id"] == link["participant_id"]), {})
    viewer = participant_viewer(
        tenant_id,
        event_id,
        registration["registration_id"],
        registration["type"],
        types,
        requested_by(tenant_id, event_id, registration["registration_id"]),
    )
    return Access(principal, viewer, Labeller(tree, type_labels, _locale(caller, person.get("locale"))), me)


def _audit_read(caller: Caller, who: Access, cards: list[CatalogueItem], action: AuditAction) -> None:
    subjects = [c.registration_id for c in cards] + [p.participant_id for c in cards for p in c.people]
    audit.record(
        caller,
        role=who.principal.acting_role(REVIEW),
        action=action,
        subjects=subjects,
        item_types=["registration", "participant", "profile"],
        fields=READ_FIELDS,
        purpose="catalogue",
        count=len(cards),
    )


def search(caller: Caller, event_id: str, params: Mapping[str, str]) -> CatalogueResult:
    query = parse_query(params)
    who = access(caller, event_id)
    found = result(index().search(query, who.viewer), who.labels, who.viewer.requested)
    if who.staff:
        _audit_read(caller, who, found.items, "catalogue.search")
    return found


def company(caller: Caller, event_id: str, registration_id: str) -> CatalogueItem:
    who = access(caller, event_id)
    card = index().card(registration_id, who.viewer)
    if card is None:
        raise NotFound("no such company in this event's catalogue")
    found = item(card, who.labels, who.viewer.requested)
    if who.staff:
        _audit_read(caller, who, [found], "catalogue.read")
    return found


def suggestions(caller: Caller, event_id: str, limit: int) -> SuggestionResult:
    who = access(caller, event_id, SELF)
    me = who.me
    if me is None:
        raise Forbidden("suggestions are made for participants")
    tree = who.labels.tree
    candidates = index().candidates(wanted(me, tree), who.viewer, limit)
    ranked = suggest(me, candidates, who.viewer, tree, who.labels.locale, limit)
    return SuggestionResult(items=[suggestion_item(s, who.labels, who.viewer.requested) for s in ranked])


@idempotent
def rebuild(caller: Caller, command: RebuildCatalogue) -> Rebuilt:
    principal = require(caller, REBUILD_CATALOGUE)
    _event(principal.tenant_id, command.event_id)
    indexed = rebuild_event(principal.tenant_id, command.event_id)
    return Rebuilt(event_id=command.event_id, indexed=indexed)
