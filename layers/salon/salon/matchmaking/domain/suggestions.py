"""'Suggested for you': companies whose offers meet my needs and whose needs meet my offers.

The score of a pair is the taxonomy overlap in both directions, each shared code weighted by its level.
Codes are expanded with their ancestors, so two companies on the same level-3 code share three codes
(1 + 2 + 3 = 6) where two on sibling leaves share two (1 + 2 = 3): the closer the codes, the higher the
score. Text similarity of the descriptions only breaks ties, then the registration id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel

from salon.kernel.values import Locale
from salon.matchmaking.domain.catalogue import Card
from salon.matchmaking.domain.sectors import SectorTree
from salon.matchmaking.domain.visibility import Viewer

Direction = Literal["offers_what_you_need", "needs_what_you_offer"]


@dataclass(frozen=True)
class Wanted:
    """What the index looks for: codes in other companies' offers and needs, with their weights."""

    in_offers: dict[str, int]
    in_needs: dict[str, int]


class Reason(BaseModel):
    direction: Direction
    code: str
    label: str


class Suggestion(BaseModel):
    card: Card
    score: int
    similarity: float
    reasons: list[Reason]


def wanted(me: Card, tree: SectorTree) -> Wanted:
    return Wanted(
        in_offers={code: tree.level(code) for code in me.needs},
        in_needs={code: tree.level(code) for code in me.offers},
    )


def overlap(mine: Iterable[str], theirs: Iterable[str], tree: SectorTree) -> int:
    """Shared codes weighted by level; symmetric in its two code lists."""
    return sum(tree.level(code) for code in set(mine) & set(theirs))


def match_score(me: Card, other: Card, tree: SectorTree) -> int:
    return overlap(me.needs, other.offers, tree) + overlap(me.offers, other.needs, tree)


def text_similarity(a: Card, b: Card) -> float:
    """Jaccard index of the descriptions' folded words (0 when either has none)."""
    union = a.words | b.words
    return len(a.words & b.words) / len(union) if union else 0.0


def most_specific(codes: set[str], tree: SectorTree) -> list[str]:
    """The shared codes that are no ancestor of another shared code: what a person reads as 'the match'."""
    ancestors = {parent for code in codes for parent in tree.lineage(code)[1:]}
    return sorted(codes - ancestors)


def reasons(me: Card, other: Card, tree: SectorTree, locale: Locale) -> list[Reason]:
    found: list[Reason] = []
    pairs: tuple[tuple[Direction, tuple[str, ...], tuple[str, ...]], ...] = (
        ("offers_what_you_need", me.needs, other.offers),
        ("needs_what_you_offer", me.offers, other.needs),
    )
    for direction, mine, theirs in pairs:
        for code in most_specific(set(mine) & set(theirs), tree):
            found.append(Reason(direction=direction, code=code, label=tree.label(code, locale)))
    return found


def suggest(
    me: Card,
    candidates: Iterable[Card],
    viewer: Viewer,
    tree: SectorTree,
    locale: Locale,
    limit: int,
) -> list[Suggestion]:
    """The best ``limit`` visible companies that match me in at least one direction."""
    scored: dict[str, tuple[int, float, Card]] = {}
    for card in candidates:
        if not viewer.sees(card) or card.registration_id == me.registration_id:
            continue
        score = match_score(me, card, tree)
        if score > 0:
            scored[card.registration_id] = (score, text_similarity(me, card), card)
    ranked = sorted(scored.values(), key=lambda s: (-s[0], -s[1], s[2].registration_id))
    return [
        Suggestion(
            card=card, score=score, similarity=round(similarity, 4), reasons=reasons(me, card, tree, locale)
        )
        for score, similarity, card in ranked[:limit]
    ]
