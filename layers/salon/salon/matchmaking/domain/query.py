"""A catalogue search: the query a caller may send, the page it gets back, and the cursor between pages."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints, ValidationError

from salon.kernel.errors import FieldError, ValidationFailed
from salon.kernel.validation import invalid
from salon.kernel.values import Country, StrictModel
from salon.matchmaking.domain.catalogue import Card
from salon.registration.domain.participation_types import TypeCode

MAX_QUERY_LENGTH = 200
DEFAULT_LIMIT = 20
FACETS = ("type", "sector", "country", "size")
PARAMETERS = frozenset({"q", "type", "sector", "country", "size", "requested", "limit", "cursor"})
Code = Annotated[str, StringConstraints(min_length=1, max_length=64)]


class CatalogueQuery(StrictModel):
    """``requested``: False keeps the companies I have not asked yet, True only those I have."""

    q: Annotated[str, StringConstraints(max_length=MAX_QUERY_LENGTH)] = ""
    type: TypeCode | None = None
    sector: Code | None = None
    country: Country | None = None
    size: Code | None = None
    requested: bool | None = None
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=100)
    offset: int = Field(default=0, ge=0)

    def fingerprint(self) -> str:
        """What a cursor is bound to: the same search, any page."""
        criteria = self.model_dump(exclude={"limit", "offset"})
        return hashlib.sha256(json.dumps(criteria, sort_keys=True).encode()).hexdigest()[:16]

    def next_cursor(self, total: int) -> str | None:
        following = self.offset + self.limit
        if following >= total:
            return None
        raw = json.dumps({"o": following, "f": self.fingerprint()}).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")


class Facets(BaseModel):
    """Counts of the matching companies per value; a company counts once in every sector it is in."""

    type: dict[str, int] = {}
    sector: dict[str, int] = {}
    country: dict[str, int] = {}
    size: dict[str, int] = {}


class CataloguePage(BaseModel):
    items: list[Card]
    facets: Facets
    total: int
    next_cursor: str | None = None


def _offset(cursor: str) -> tuple[int, str]:
    try:
        decoded = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        offset, fingerprint = decoded["o"], decoded["f"]
    except (binascii.Error, ValueError, TypeError, KeyError) as exc:
        raise _cursor_error("malformed cursor") from exc
    if (
        not isinstance(offset, int)
        or isinstance(offset, bool)
        or offset < 0
        or not isinstance(fingerprint, str)
    ):
        raise _cursor_error("malformed cursor")
    return offset, fingerprint


def _cursor_error(message: str) -> ValidationFailed:
    return ValidationFailed("the cursor is invalid", errors=[FieldError("cursor", message)])


def parse_query(params: Mapping[str, str]) -> CatalogueQuery:
    """A query from request parameters: unknown parameters, oversized text and foreign cursors are refused."""
    unknown = sorted(set(params) - PARAMETERS)
    if unknown:
        raise ValidationFailed(
            "unknown filter", errors=[FieldError(name, "unknown filter") for name in unknown]
        )
    fields: dict[str, object] = {k: v for k, v in params.items() if k != "cursor" and v != ""}
    try:
        query = CatalogueQuery.model_validate(fields)
    except ValidationError as exc:
        raise invalid(exc) from exc
    cursor = params.get("cursor")
    if not cursor:
        return query
    offset, fingerprint = _offset(cursor)
    if fingerprint != query.fingerprint():
        raise _cursor_error("the cursor belongs to another search")
    return query.model_copy(update={"offset": offset})
