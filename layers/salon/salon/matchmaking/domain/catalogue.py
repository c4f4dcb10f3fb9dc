"""The catalogue card: what the index holds about one validated company, and nothing more.

A card carries no e-mail and no phone: it is built field by field from the stored registration, its
participants and their profiles, never by copying a record whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property
from typing import Any

from pydantic import BaseModel, ConfigDict

from salon.kernel.values import LOCALES, Locale, fold
from salon.matchmaking.domain.sectors import SectorTree

# Keys of the registration form's company answers that the catalogue reads (see the demo's form).
SECTORS_ANSWER = "sectors"
SIZE_ANSWER = "company_size"
LISTED_STATE = "validated"
UNLISTED_ACCOUNTS = frozenset({"deactivated"})

_WORD = re.compile(r"[a-z0-9]{3,}")


class Person(BaseModel):
    model_config = ConfigDict(frozen=True)

    participant_id: str
    first_name: str
    last_name: str
    job_title: str | None = None


class Card(BaseModel):
    """One company as indexed. Code lists include every ancestor of the codes the company gave."""

    model_config = ConfigDict(frozen=True)

    registration_id: str
    event_id: str
    tenant_id: str
    type: str
    company_name: str
    country: str
    size: str | None = None
    sectors: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    description: dict[Locale, str] = {}
    sector_labels: dict[Locale, tuple[str, ...]] = {}
    people: tuple[Person, ...] = ()

    def text(self, locale: Locale) -> str:
        """Everything searchable in one locale (the name and people are language-neutral)."""
        people = " ".join(f"{p.first_name} {p.last_name} {p.job_title or ''}" for p in self.people)
        labels = " ".join(self.sector_labels.get(locale, ()))
        return f"{self.company_name} {labels} {self.description.get(locale, '')} {people}"

    @cached_property
    def words(self) -> frozenset[str]:
        """Folded words of the descriptions, for the suggestions' text tie-breaker."""
        return frozenset(_WORD.findall(fold(" ".join(self.description.values()))))


def _codes(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [code for code in value or () if isinstance(code, str)]


def build_card(
    tenant_id: str,
    registration: Mapping[str, Any],
    participants: Sequence[Mapping[str, Any]],
    profiles: Mapping[str, Mapping[str, Any]],
    tree: SectorTree,
) -> Card | None:
    """The card of a stored registration, or None when it must not be listed (not validated)."""
    if registration.get("state") != LISTED_STATE:
        return None
    listed = [p for p in participants if p.get("account_status") not in UNLISTED_ACCOUNTS]
    listed_profiles = [profiles[p["participant_id"]] for p in listed if p["participant_id"] in profiles]
    answers: Mapping[str, Any] = registration.get("answers") or {}
    needs = tree.expand(code for profile in listed_profiles for code in _codes(profile.get("needs")))
    offers = tree.expand(code for profile in listed_profiles for code in _codes(profile.get("offers")))
    sectors = tree.expand([*_codes(answers.get(SECTORS_ANSWER)), *needs, *offers])
    descriptions: dict[Locale, str] = {}
    for locale in LOCALES:
        texts = [str((profile.get("description") or {}).get(locale) or "") for profile in listed_profiles]
        joined = "\n".join(dict.fromkeys(text for text in texts if text))
        if joined:
            descriptions[locale] = joined
    size = answers.get(SIZE_ANSWER)
    return Card(
        registration_id=registration["registration_id"],
        event_id=registration["event_id"],
        tenant_id=tenant_id,
        type=registration["type"],
        company_name=registration.get("company_name") or "",
        country=registration.get("country") or "",
        size=size if isinstance(size, str) else None,
        sectors=sectors,
        needs=needs,
        offers=offers,
        description=descriptions,
        sector_labels={locale: tuple(tree.labels(sectors, locale)) for locale in LOCALES},
        people=tuple(
            Person(
                participant_id=p["participant_id"],
                first_name=p.get("first_name") or "",
                last_name=p.get("last_name") or "",
                job_title=p.get("job_title"),
            )
            for p in listed
        ),
    )


def of_event(tenant_id: str, event_id: str, cards: Iterable[Card]) -> list[Card]:
    """The cards of a rebuild, refused whole if one belongs elsewhere (before anything is deleted)."""
    batch = list(cards)
    for card in batch:
        if card.tenant_id != tenant_id or card.event_id != event_id:
            raise ValueError(f"card {card.registration_id} is not of event {event_id} of tenant {tenant_id}")
    return batch
