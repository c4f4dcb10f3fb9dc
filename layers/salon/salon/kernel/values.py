"""Shared value types."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

Locale = Literal["fr", "en"]
LOCALES: tuple[Locale, ...] = ("fr", "en")
DEFAULT_LOCALE: Locale = "fr"

_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
_PHONE = re.compile(r"^\+[1-9][0-9]{6,14}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


class StrictModel(BaseModel):
    """Input models reject unknown fields and strip surrounding blanks."""

    # Validators are built on first use: a cold start builds only the models its route reads.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


def check_email(value: str) -> str:
    value = value.strip()
    if len(value) > 254 or not _EMAIL.match(value):
        raise ValueError("not a valid e-mail address")
    return value.lower()


def check_phone(value: str) -> str:
    compact = re.sub(r"[\s.()-]", "", value)
    if not _PHONE.match(compact):
        raise ValueError("not a valid international phone number (+33612345678)")
    return compact


def check_country(value: str) -> str:
    upper = value.strip().upper()
    if not _COUNTRY.match(upper):
        raise ValueError("not an ISO 3166 alpha-2 country code")
    return upper


Email = Annotated[str, StringConstraints(max_length=254), AfterValidator(check_email)]
Phone = Annotated[str, StringConstraints(max_length=32), AfterValidator(check_phone)]
Country = Annotated[str, StringConstraints(max_length=2), AfterValidator(check_country)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=120, strip_whitespace=True)]
ShortText = Annotated[str, StringConstraints(max_length=200, strip_whitespace=True)]
Instant = AwareDatetime


class LocalizedText(StrictModel):
    """A text per locale; at least one locale must be present."""

    fr: Annotated[str, StringConstraints(min_length=1, max_length=300)] | None = None
    en: Annotated[str, StringConstraints(min_length=1, max_length=300)] | None = None

    def locales(self) -> set[str]:
        return {loc for loc in LOCALES if getattr(self, loc)}


class Labels(StrictModel):
    """Both locales are required (form, types, taxonomy)."""

    fr: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    en: Annotated[str, StringConstraints(min_length=1, max_length=300)]


class Page(BaseModel):
    model_config = ConfigDict(defer_build=True)

    limit: int = Field(default=25, ge=1, le=100)
    cursor: str | None = None


class PageQuery(BaseModel):
    """A listing's query string: ``limit`` and ``cursor`` (the routes' filters extend it)."""

    model_config = ConfigDict(defer_build=True)

    limit: int = Field(default=25, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=2048)

    def page(self) -> Page:
        return Page(limit=self.limit, cursor=self.cursor)


def preferred_locale(accept_language: str | None) -> Locale | None:
    """The first supported locale of an Accept-Language header (``en-GB,en;q=0.9,fr;q=0.8``), by weight."""
    ranked: list[tuple[float, int, Locale]] = []
    for position, part in enumerate((accept_language or "").split(",")[:20]):
        tag, _, parameters = part.strip().partition(";")
        language = tag.strip().lower().split("-", 1)[0]
        weight = 1.0
        if parameters.strip().startswith("q="):
            try:
                weight = float(parameters.strip()[2:])
            except ValueError:
                continue
        for locale in LOCALES:
            if language == locale and weight > 0:
                ranked.append((-weight, position, locale))
    return min(ranked)[2] if ranked else None


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(value: datetime) -> str:
    """Render an instant in UTC with a ``Z`` suffix (sortable string)."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def parse_iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def fold(text: str) -> str:
    """Case- and accent-insensitive form used for substring search."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


ITEM_BUDGET = 300_000  # bytes of JSON one stored item may hold (DynamoDB's limit is 400 KB)


def check_size(value: object, budget: int, what: str) -> None:
    """Refuse inputs that could not be stored as one item (a 422, never a 500 from DynamoDB)."""
    size = len(json.dumps(value, default=str, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    if size > budget:
        raise ValueError(f"{what} is too large ({size} bytes, at most {budget})")
