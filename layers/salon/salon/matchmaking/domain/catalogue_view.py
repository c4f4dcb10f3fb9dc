"""What a caller reads of a card: codes with their labels in the caller's locale, one description."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from pydantic import BaseModel

from salon.kernel.values import LOCALES, Locale
from salon.matchmaking.domain.catalogue import Card, Person
from salon.matchmaking.domain.query import CataloguePage
from salon.matchmaking.domain.sectors import SectorTree
from salon.matchmaking.domain.suggestions import Reason, Suggestion


class Coded(BaseModel):
    code: str
    label: str


class CatalogueItem(BaseModel):
    """One company of the catalogue: no e-mail, no phone (the card has none)."""

    registration_id: str
    type: str
    type_label: str
    company_name: str
    country: str
    size: str | None = None
    sectors: list[Coded]
    needs: list[Coded]
    offers: list[Coded]
    description: str
    people: list[Person]
    requested: bool  # a live meeting request joins the caller's company and this one


class FacetValue(BaseModel):
    value: str
    label: str
    count: int


class CatalogueFacets(BaseModel):
    type: list[FacetValue]
    sector: list[FacetValue]
    country: list[FacetValue]
    size: list[FacetValue]


class CatalogueResult(BaseModel):
    items: list[CatalogueItem]
    facets: CatalogueFacets
    total: int
    next_cursor: str | None = None


class SuggestionItem(CatalogueItem):
    score: int
    reasons: list[Reason]


class SuggestionResult(BaseModel):
    items: list[SuggestionItem]


class Labeller:
    """Labels of one event's sectors and types in one locale (a code without a label stays itself)."""

    def __init__(
        self, tree: SectorTree, type_labels: Mapping[str, Mapping[str, str]], locale: Locale
    ) -> None:
        self.tree = tree
        self.type_labels = type_labels
        self.locale = locale

    def codes(self, codes: Iterable[str]) -> list[Coded]:
        return [Coded(code=code, label=self.sector(code)) for code in codes]

    def sector(self, code: str) -> str:
        return self.tree.label(code, self.locale)

    def type(self, code: str) -> str:
        return str(self.type_labels.get(code, {}).get(self.locale) or code)


def _description(card: Card, locale: Locale) -> str:
    """The caller's language first, else the other one (a company may describe itself in one only)."""
    for candidate in (locale, *LOCALES):
        if card.description.get(candidate):
            return card.description[candidate]
    return ""


def item(card: Card, labels: Labeller, requested: frozenset[str]) -> CatalogueItem:
    return CatalogueItem(
        registration_id=card.registration_id,
        type=card.type,
        type_label=labels.type(card.type),
        company_name=card.company_name,
        country=card.country,
        size=card.size,
        sectors=labels.codes(card.sectors),
        needs=labels.codes(card.needs),
        offers=labels.codes(card.offers),
        description=_description(card, labels.locale),
        people=list(card.people),
        requested=card.registration_id in requested,
    )


def _values(counts: Mapping[str, int], label: Callable[[str], str] = str) -> list[FacetValue]:
    """Most frequent first, then by value."""
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [FacetValue(value=value, label=label(value), count=count) for value, count in ordered]


def result(page: CataloguePage, labels: Labeller, requested: frozenset[str]) -> CatalogueResult:
    return CatalogueResult(
        items=[item(card, labels, requested) for card in page.items],
        facets=CatalogueFacets(
            type=_values(page.facets.type, labels.type),
            sector=_values(page.facets.sector, labels.sector),
            country=_values(page.facets.country),
            size=_values(page.facets.size),
        ),
        total=page.total,
        next_cursor=page.next_cursor,
    )


def suggestion_item(suggestion: Suggestion, labels: Labeller, requested: frozenset[str]) -> SuggestionItem:
    base = item(suggestion.card, labels, requested)
    return SuggestionItem(**base.model_dump(), score=suggestion.score, reasons=suggestion.reasons)
