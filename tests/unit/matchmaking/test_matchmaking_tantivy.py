"""The local engine, for real: analyzers, filters, facets, visibility, tenants, pagination and rebuilds."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st
from localcloud.demo_catalogue import demo_cards, demo_tree, demo_types
from salon.matchmaking.adapters.tantivy_index import TantivyCatalogue, name_key, sortable
from salon.matchmaking.domain.catalogue import Card, Person
from salon.matchmaking.domain.query import CataloguePage, CatalogueQuery, parse_query
from salon.matchmaking.domain.suggestions import suggest, wanted
from salon.matchmaking.domain.visibility import Viewer, participant_viewer, staff_viewer

TENANT, EVENT = "tenant-a", "evt_1"
TYPES = demo_types()
TREE = demo_tree()
CARDS = demo_cards(TENANT, EVENT, 400)
BUYER = next(c for c in CARDS if c.type == "buyer")


def hand_card(rid: str, name: str, *, type_: str = "supplier", tenant: str = TENANT, text: str = "") -> Card:
    return Card(
        registration_id=rid,
        event_id=EVENT,
        tenant_id=tenant,
        type=type_,
        company_name=name,
        country="BE",
        size="1-9",
        offers=TREE.expand(["SER.ING.MEC"]) if "SER.ING.MEC" in TREE else (),
        description={"fr": text, "en": text} if text else {},
        people=(Person(participant_id=f"p_{rid}", first_name="Zoé", last_name="Quint", job_title="Gérante"),),
    )


HAND = [
    hand_card("reg_h1", "Cartonnages Wobbly"),
    hand_card("reg_h2", "Zzyzx Ingénierie Conseil"),
    hand_card("reg_h3", "Atelier Quillon", text="Nous fabriquons des emballages sur mesure."),
]


@pytest.fixture(scope="module")
def index() -> TantivyCatalogue:
    engine = TantivyCatalogue()
    everything = CARDS + HAND
    for start in range(0, len(everything), 100):
        engine.upsert(everything[start : start + 100])
    return engine


@pytest.fixture(scope="module")
def buyer() -> Viewer:
    return participant_viewer(TENANT, EVENT, BUYER.registration_id, "buyer", TYPES)


def names(page: CataloguePage) -> list[str]:
    return [card.company_name for card in page.items]


def search(index: TantivyCatalogue, viewer: Viewer, **params: str) -> CataloguePage:
    return index.search(parse_query({"limit": "100", **params}), viewer)


def test_french_plural_and_accents_are_folded_and_stemmed(index: TantivyCatalogue, buyer: Viewer) -> None:
    packaging = search(index, buyer, q="emballage")
    assert "Atelier Quillon" in names(packaging)  # "emballages" in its description only
    assert any(name.startswith("Emballages ") for name in names(packaging))
    engineering = names(search(index, buyer, q="ingenierie"))
    assert "Zzyzx Ingénierie Conseil" in engineering
    assert sorted(names(search(index, buyer, q="INGÉNIERIES"))) == sorted(engineering)


def test_english_words_are_stemmed(index: TantivyCatalogue, buyer: Viewer) -> None:
    found = search(index, buyer, q="packagings")
    assert found.total > 0
    assert all("packag" in (card.text("en")).lower() for card in found.items)


def test_a_company_name_typed_partially_finds_it(index: TantivyCatalogue, buyer: Viewer) -> None:
    assert names(search(index, buyer, q="Wobb")) == ["Cartonnages Wobbly"]
    assert names(search(index, buyer, q="zzy")) == ["Zzyzx Ingénierie Conseil"]
    assert names(search(index, buyer, q="ingénierie zzyz")) == ["Zzyzx Ingénierie Conseil"]


def test_every_word_must_match(index: TantivyCatalogue, buyer: Viewer) -> None:
    assert search(index, buyer, q="emballage wobbly").total == 0
    assert names(search(index, buyer, q="quillon emballages")) == ["Atelier Quillon"]


def test_a_name_match_ranks_above_a_description_match(index: TantivyCatalogue, buyer: Viewer) -> None:
    ranked = names(search(index, buyer, q="emballages"))
    assert ranked.index("Atelier Quillon") > max(
        i for i, name in enumerate(ranked) if name.startswith("Emballages ")
    )


def test_people_are_searchable_by_name_and_job_title(index: TantivyCatalogue, buyer: Viewer) -> None:
    assert set(names(search(index, buyer, q="zoé quint"))) == {card.company_name for card in HAND}


def test_contact_data_is_not_searchable(index: TantivyCatalogue) -> None:
    staff = staff_viewer(TENANT, EVENT, TYPES)
    assert search(index, staff, q="example").total == 0
    assert search(index, staff, q="33199").total == 0


def expected_visible(viewer: Viewer) -> list[Card]:
    return [card for card in CARDS + HAND if viewer.sees(card)]


def test_facets_count_what_the_viewer_may_see(index: TantivyCatalogue, buyer: Viewer) -> None:
    page = search(index, buyer)
    visible = expected_visible(buyer)
    assert page.total == len(visible)
    assert page.facets.type == {"supplier": len(visible)}
    assert page.facets.country == dict(Counter(card.country for card in visible))
    assert page.facets.size == dict(Counter(card.size for card in visible if card.size))
    assert page.facets.sector == dict(Counter(code for card in visible for code in card.sectors))


@pytest.mark.parametrize(
    ("params", "keeps"),
    [
        ({"sector": "MEC"}, lambda c: any(code.startswith("MEC.") for code in c.sectors)),
        ({"sector": "MEC.USI.FR5"}, lambda c: "MEC.USI.FR5" in c.sectors),
        ({"country": "GB"}, lambda c: c.country == "GB"),
        ({"size": "50-249", "country": "FR"}, lambda c: c.size == "50-249" and c.country == "FR"),
        ({"type": "buyer"}, lambda c: False),
    ],
)
def test_filters(
    index: TantivyCatalogue, buyer: Viewer, params: dict[str, str], keeps: Callable[[Card], bool]
) -> None:
    page = search(index, buyer, **params)
    expected = [card for card in expected_visible(buyer) if keeps(card)]
    assert page.total == len(expected) and (page.total > 0 or params == {"type": "buyer"})
    assert {card.registration_id for card in page.items} <= {card.registration_id for card in expected}


def test_not_yet_requested_by_me(index: TantivyCatalogue, buyer: Viewer) -> None:
    asked = [card.registration_id for card in expected_visible(buyer)[:5]]
    viewer = participant_viewer(TENANT, EVENT, BUYER.registration_id, "buyer", TYPES, requested=asked)
    remaining = search(index, viewer, requested="false")
    assert remaining.total == len(expected_visible(buyer)) - 5
    assert not {card.registration_id for card in remaining.items} & set(asked)
    assert sorted(c.registration_id for c in search(index, viewer, requested="true").items) == sorted(asked)
    assert search(index, buyer, requested="true").total == 0


def test_invisible_types_never_appear_even_by_id(index: TantivyCatalogue) -> None:
    supplier_card = next(card for card in CARDS if card.type == "supplier")
    supplier = participant_viewer(TENANT, EVENT, supplier_card.registration_id, "supplier", TYPES)
    page = search(index, supplier)
    assert set(page.facets.type) == {"buyer"} and all(card.type == "buyer" for card in page.items)
    assert index.card(supplier_card.registration_id, supplier) is None  # myself
    other_supplier = next(c for c in CARDS if c.type == "supplier" and c is not supplier_card)
    assert index.card(other_supplier.registration_id, supplier) is None
    assert index.card(BUYER.registration_id, supplier) == BUYER
    nobody = Viewer(TENANT, EVENT, frozenset())
    assert search(index, nobody).total == 0


def test_tenants_never_see_each_other(index: TantivyCatalogue) -> None:
    twin = hand_card("reg_h1", "Cartonnages Wobbly Jumeau", tenant="tenant-b")
    index.upsert([twin])
    other = staff_viewer("tenant-b", EVENT, TYPES)
    assert names(search(index, other, q="wobbly")) == ["Cartonnages Wobbly Jumeau"]
    assert names(search(index, staff_viewer(TENANT, EVENT, TYPES), q="wobbly")) == ["Cartonnages Wobbly"]
    assert index.card("reg_h2", other) is None
    assert search(index, staff_viewer("tenant-c", EVENT, TYPES)).total == 0


@pytest.mark.parametrize("q", ["", "usinage", "mécanique"])
def test_pages_walk_every_result_once_in_a_stable_order(
    index: TantivyCatalogue, buyer: Viewer, q: str
) -> None:
    seen: list[str] = []
    query = parse_query({"q": q, "limit": "7"})
    while True:
        page = index.search(query, buyer)
        seen += [card.registration_id for card in page.items]
        if page.next_cursor is None:
            break
        query = parse_query({"q": q, "limit": "7", "cursor": page.next_cursor})
    whole = index.search(CatalogueQuery(q=q, limit=100), buyer)
    assert len(seen) == len(set(seen)) == page.total
    assert seen[:100] == [card.registration_id for card in whole.items]


def test_rebuilding_an_event_gives_the_same_results(index: TantivyCatalogue) -> None:
    fresh = TantivyCatalogue()
    fresh.upsert([card for card in CARDS if card.registration_id != BUYER.registration_id])
    fresh.upsert([BUYER.model_copy(update={"company_name": "Stale Name"})])
    fresh.rebuild(TENANT, EVENT, reversed(CARDS + HAND))
    staff = staff_viewer(TENANT, EVENT, TYPES)
    for params in (
        {},
        {"q": "usinage"},
        {"q": "emballage", "country": "FR"},
        {"sector": "LOG"},
        {"q": "Wob"},
    ):
        assert search(fresh, staff, **params) == search(index, staff, **params)
    assert search(fresh, staff, q="stale").total == 0


def test_deletes_and_replacements(index: TantivyCatalogue, buyer: Viewer) -> None:
    engine = TantivyCatalogue()
    engine.upsert(HAND)
    engine.upsert([HAND[0].model_copy(update={"company_name": "Cartonnages Renamed"})])
    assert names(search(engine, buyer, q="cartonnages")) == ["Cartonnages Renamed"]
    engine.delete(TENANT, ["reg_h1"])
    assert search(engine, buyer, q="cartonnages").total == 0 and engine.card("reg_h1", buyer) is None
    engine.delete_event(TENANT, EVENT)
    assert search(engine, buyer).total == 0


def test_suggestion_inputs_are_the_best_overlaps(index: TantivyCatalogue, buyer: Viewer) -> None:
    want = wanted(BUYER, TREE)
    inputs = index.candidates(want, buyer, limit=10)
    ranked = suggest(BUYER, inputs, buyer, TREE, "fr", limit=10)
    everyone = suggest(BUYER, CARDS + HAND, buyer, TREE, "fr", limit=10)
    assert [s.card.registration_id for s in ranked] == [s.card.registration_id for s in everyone]
    assert len(ranked) == 10 and all(s.card.type == "supplier" for s in ranked)


def test_a_rebuild_with_a_foreign_card_changes_nothing(buyer: Viewer) -> None:
    engine = TantivyCatalogue()
    engine.upsert(HAND)
    with pytest.raises(ValueError, match="not of event"):
        engine.rebuild(TENANT, EVENT, [HAND[0], hand_card("reg_x", "Elsewhere", tenant="tenant-b")])
    assert search(engine, buyer).total == len(HAND)


@given(st.text(max_size=30), st.text(max_size=30))
def test_the_integer_name_key_orders_like_the_name(a: str, b: str) -> None:
    if sortable(a) <= sortable(b):
        assert name_key(a) <= name_key(b)


def test_browsing_lists_companies_by_name(index: TantivyCatalogue, buyer: Viewer) -> None:
    listed = [card.company_name for card in search(index, buyer).items]
    assert listed == sorted(listed, key=sortable) and len(listed) == 100
