"""'Suggested for you': level-weighted overlap in both directions, text as tie-breaker, visibility first."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from salon.kernel.values import Labels
from salon.matchmaking.domain.catalogue import Card
from salon.matchmaking.domain.sectors import SectorTree
from salon.matchmaking.domain.suggestions import match_score, overlap, suggest, wanted
from salon.matchmaking.domain.visibility import Viewer
from salon.registration.domain.taxonomy import TaxonomyNode


def _node(code: str) -> TaxonomyNode:
    parent = code.rpartition(".")[0] or None
    return TaxonomyNode(code=code, parent=parent, labels=Labels(fr=f"fr {code}", en=f"en {code}"))


CODES = [
    f"{a}{'.' + b if b else ''}{'.' + c if c else ''}"
    for a in ("A", "B")
    for b in ("", "X", "Y")
    for c in (("",) if not b else ("", "1", "2"))
]
TREE = SectorTree([_node(code) for code in CODES])
LEAVES = [code for code in CODES if TREE.level(code) == 3]
TYPES = ("buyer", "supplier", "visitor")

codes = st.lists(st.sampled_from(CODES), max_size=4).map(TREE.expand)


def card(
    rid: str,
    type_: str = "supplier",
    needs: tuple[str, ...] = (),
    offers: tuple[str, ...] = (),
    text: str = "",
) -> Card:
    return Card(
        registration_id=rid,
        event_id="evt",
        tenant_id="t1",
        type=type_,
        company_name=rid,
        country="FR",
        needs=TREE.expand(needs),
        offers=TREE.expand(offers),
        description={"fr": text} if text else {},
    )


cards = st.builds(
    card,
    rid=st.text(alphabet="abcdef0123", min_size=1, max_size=6),
    type_=st.sampled_from(TYPES),
    needs=codes,
    offers=codes,
)


@given(codes, codes)
def test_overlap_is_symmetric(mine: tuple[str, ...], theirs: tuple[str, ...]) -> None:
    assert overlap(mine, theirs, TREE) == overlap(theirs, mine, TREE)


@given(cards, cards)
def test_the_score_of_a_pair_is_the_same_from_both_sides(a: Card, b: Card) -> None:
    assert match_score(a, b, TREE) == match_score(b, a, TREE)


def _shared_depth(a: str, b: str) -> int:
    return len(set(TREE.lineage(a)) & set(TREE.lineage(b)))


@given(st.sampled_from(LEAVES), st.data())
def test_a_closer_code_scores_higher(need: str, data: st.DataObject) -> None:
    # drawn to order, not filtered: most random pairs share the same depth with the need
    closer = data.draw(st.sampled_from([c for c in CODES if _shared_depth(need, c) > 0]))
    farther = data.draw(
        st.sampled_from([c for c in CODES if _shared_depth(need, c) < _shared_depth(need, closer)])
    )
    me = card("me", "buyer", needs=(need,))
    assert match_score(me, card("c", offers=(closer,)), TREE) > match_score(
        me, card("f", offers=(farther,)), TREE
    )


@given(cards, st.lists(cards, max_size=25), st.sets(st.sampled_from(TYPES)))
def test_invisible_types_and_myself_are_never_suggested(
    me: Card, others: list[Card], visible: set[str]
) -> None:
    viewer = Viewer("t1", "evt", frozenset(visible), registration_id=me.registration_id)
    found = suggest(me, [*others, me], viewer, TREE, "fr", limit=50)
    assert all(s.card.type in visible and s.card.registration_id != me.registration_id for s in found)
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)
    assert all(s.score > 0 and s.reasons for s in found)


def test_reasons_name_the_most_specific_matched_codes_in_my_locale() -> None:
    me = card("me", "buyer", needs=("A.X.1", "B.Y.2"), offers=("A.Y.1",))
    other = card("other", offers=("A.X.1", "B.Y.1"), needs=("A.Y",))
    viewer = Viewer("t1", "evt", frozenset({"supplier"}), registration_id="me")
    [found] = suggest(me, [other], viewer, TREE, "en", limit=5)
    assert [(r.direction, r.code, r.label) for r in found.reasons] == [
        ("offers_what_you_need", "A.X.1", "en A.X.1"),
        ("offers_what_you_need", "B.Y", "en B.Y"),
        ("needs_what_you_offer", "A.Y", "en A.Y"),
    ]
    assert found.score == (1 + 2 + 3) + (1 + 2) + (1 + 2)


def test_text_similarity_breaks_ties_then_the_registration_id() -> None:
    me = card("me", "buyer", needs=("A.X.1",), offers=("B.X.1",), text="tournage de pièces aéronautiques")
    near = card("z-near", offers=("A.X.1",), text="tournage titane pour l'aéronautique, pièces")
    far = card("a-far", offers=("A.X.1",), text="peinture industrielle")
    same = card("b-far", offers=("A.X.1",), text="peinture industrielle")
    both_ways = card("y-both", offers=("A.X.1",), needs=("B.X",))
    viewer = Viewer("t1", "evt", frozenset({"supplier"}), registration_id="me")
    ranked = suggest(me, [far, same, near, both_ways], viewer, TREE, "fr", limit=10)
    assert [s.card.registration_id for s in ranked] == ["y-both", "z-near", "a-far", "b-far"]
    assert ranked[1].similarity > ranked[2].similarity == 0


def test_wanted_weights_each_code_by_its_level() -> None:
    me = card("me", needs=("A.X.1",), offers=("B",))
    assert wanted(me, TREE).in_offers == {"A": 1, "A.X": 2, "A.X.1": 3}
    assert wanted(me, TREE).in_needs == {"B": 1}
