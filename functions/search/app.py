"""The catalogue over HTTP: search, one company, suggestions, and the organiser's rebuild. Thin: routes ->
services (salon.matchmaking.services.catalogue); the search engine is opened on first use only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field
from salon.kernel import invocation, logs
from salon.kernel.caller import Caller
from salon.kernel.http import Router
from salon.kernel.routes import SEARCH
from salon.matchmaking.domain.catalogue_view import CatalogueItem, CatalogueResult, SuggestionResult
from salon.matchmaking.services import catalogue
from salon.matchmaking.services.catalogue import RebuildCatalogue, Rebuilt

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logs.configure()
router = Router(SEARCH)


class CatalogueParams(BaseModel):
    """Passed as sent to the catalogue's own parser, which says which one is at fault (422)."""

    q: str | None = Field(default=None, description="words to find (at most 200 characters)")
    type: str | None = Field(default=None, description="a participation type code")
    sector: str | None = Field(default=None, description="a taxonomy code of any level")
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2 code")
    size: str | None = Field(default=None, description="a company size answer")
    requested: str | None = Field(
        default=None, description="`false`: companies I have not asked yet; `true`: those I have"
    )
    limit: str | None = Field(default=None, description="1 to 100 (20 by default)")
    cursor: str | None = Field(default=None, description="the previous page's `next_cursor`")


class SuggestionParams(BaseModel):
    limit: int = Field(default=10, ge=1, le=50)


@router.route("GET /events/{event_id}/catalogue", response=CatalogueResult, query=CatalogueParams)
def search(caller: Caller, event_id: str, query: CatalogueParams) -> CatalogueResult:
    return catalogue.search(caller, event_id, query.model_dump(exclude_none=True))


@router.route("GET /events/{event_id}/catalogue/{registration_id}", response=CatalogueItem)
def company(caller: Caller, event_id: str, registration_id: str) -> CatalogueItem:
    return catalogue.company(caller, event_id, registration_id)


@router.route("GET /events/{event_id}/suggestions", response=SuggestionResult, query=SuggestionParams)
def suggestions(caller: Caller, event_id: str, query: SuggestionParams) -> SuggestionResult:
    return catalogue.suggestions(caller, event_id, query.limit)


@router.route("POST /events/{event_id}/catalogue/rebuild", response=Rebuilt)
def rebuild(caller: Caller, event_id: str) -> Rebuilt:
    return catalogue.rebuild(caller, RebuildCatalogue(event_id=event_id))


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    invocation.begin(context)
    return router.handle(event)
