"""Contract tests of the OpenSearch engine: the requests it builds and the responses it parses.

No OpenSearch server runs offline, so a recording connection stands in for the network under the real
opensearch-py client (serialisation, URLs, error mapping); responses have the shape OpenSearch returns.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, ClassVar

import pytest
from opensearchpy import Connection, OpenSearch
from salon.matchmaking.adapters.opensearch_index import IndexWriteFailed, OpenSearchCatalogue, document
from salon.matchmaking.adapters.opensearch_mapping import INDEX_BODY, index_name
from salon.matchmaking.domain.catalogue import Card, Person
from salon.matchmaking.domain.query import parse_query
from salon.matchmaking.domain.suggestions import Wanted
from salon.matchmaking.domain.visibility import Viewer

Reply = tuple[int, dict[str, Any]]


class Recorded(Connection):
    """Answers each request with the next scripted reply and keeps what was sent."""

    calls: ClassVar[list[tuple[str, str, Any]]] = []
    replies: ClassVar[list[Callable[[str, str], Reply]]] = []

    def perform_request(  # type: ignore[override]
        self,
        method: str,
        url: str,
        params: Any = None,
        body: bytes | None = None,
        timeout: Any = None,
        ignore: Any = (),
        headers: Any = None,
    ) -> tuple[int, dict[str, str], str]:
        text = body.decode() if body else ""
        sent: Any = (
            [json.loads(line) for line in text.splitlines()]
            if "_bulk" in url
            else (json.loads(text) if text else None)
        )
        Recorded.calls.append((method, url, sent))
        status, data = Recorded.replies.pop(0)(method, url)
        raw = json.dumps(data)
        if status >= 300 and status not in ignore:
            self._raise_error(status, raw)
        return status, {}, raw


def reply(status: int, data: dict[str, Any]) -> Callable[[str, str], Reply]:
    return lambda method, url: (status, data)


@pytest.fixture
def engine() -> OpenSearchCatalogue:
    Recorded.calls.clear()
    Recorded.replies.clear()
    return OpenSearchCatalogue(
        OpenSearch(hosts=[{"host": "search.invalid", "port": 443}], connection_class=Recorded)
    )


CARD = Card(
    registration_id="reg_1",
    event_id="evt_1",
    tenant_id="tenant-a",
    type="supplier",
    company_name="Emballages du Forez",
    country="FR",
    size="10-49",
    sectors=("LOG", "LOG.EMB"),
    offers=("LOG", "LOG.EMB"),
    description={"fr": "Caisses bois"},
    people=(Person(participant_id="par_1", first_name="Léa", last_name="Martin", job_title="Gérante"),),
)
BUYER = Viewer(
    "tenant-a", "evt_1", frozenset({"supplier"}), registration_id="reg_me", requested=frozenset({"reg_9"})
)


def hit(card: Card, score: float = 1.0) -> dict[str, Any]:
    return {"_id": card.registration_id, "_score": score, "_source": {"card": card.model_dump(mode="json")}}


def search_reply(cards: list[Card], total: int, scores: list[float] | None = None) -> dict[str, Any]:
    buckets = {"type": [{"key": "supplier", "doc_count": total}], "sector": [], "country": [], "size": []}
    return {
        "hits": {
            "total": {"value": total, "relation": "eq"},
            "hits": [hit(c, s) for c, s in zip(cards, scores or [1.0] * len(cards), strict=True)],
        },
        "aggregations": {name: {"buckets": b, "sum_other_doc_count": 0} for name, b in buckets.items()},
    }


def test_index_names_are_per_tenant_and_valid() -> None:
    assert index_name("tenant-a") == "salon-tenant-a-catalogue"
    odd = index_name("Tenant A/B")
    assert odd.startswith("salon-tenant-a-b-") and odd.endswith("-catalogue") and odd == odd.lower()
    assert index_name("Tenant A/B") != index_name("tenant a/b")


def test_the_mapping_analyses_french_and_english_with_elision_stemming_and_folding() -> None:
    analysis = INDEX_BODY["settings"]["analysis"]
    assert analysis["analyzer"]["salon_fr"]["filter"] == [
        "salon_fr_elision",
        "lowercase",
        "asciifolding",
        "salon_fr_stemmer",
    ]
    assert "asciifolding" in analysis["analyzer"]["salon_en"]["filter"]
    assert analysis["filter"]["salon_fr_elision"]["type"] == "elision"
    assert INDEX_BODY["mappings"]["dynamic"] == "strict"
    assert set(document(CARD)) == set(INDEX_BODY["mappings"]["properties"])


def test_upsert_creates_the_tenant_index_once_then_bulk_indexes(engine: OpenSearchCatalogue) -> None:
    Recorded.replies += [
        reply(404, {}),
        reply(200, {"acknowledged": True}),
        reply(200, {"errors": False, "items": []}),
    ]
    Recorded.replies += [reply(200, {"errors": False, "items": []})]
    engine.upsert([CARD])
    engine.upsert([CARD])
    (head, create, bulk, again) = Recorded.calls
    assert head[:2] == ("HEAD", "/salon-tenant-a-catalogue")
    assert create == ("PUT", "/salon-tenant-a-catalogue", INDEX_BODY)
    assert bulk[1].startswith("/_bulk")
    assert bulk[2] == [{"index": {"_index": "salon-tenant-a-catalogue", "_id": "reg_1"}}, document(CARD)]
    assert again[1].startswith("/_bulk")
    assert "@" not in json.dumps(bulk[2])


def test_refused_documents_are_reported_by_registration_id(engine: OpenSearchCatalogue) -> None:
    failed = {"index": {"_id": "reg_1", "status": 400, "error": {"type": "mapper_parsing_exception"}}}
    Recorded.replies += [reply(200, {}), reply(200, {"errors": True, "items": [failed]})]
    with pytest.raises(IndexWriteFailed) as caught:
        engine.upsert([CARD])
    assert caught.value.registration_ids == ["reg_1"]


def test_deleting_an_absent_card_is_not_a_failure(engine: OpenSearchCatalogue) -> None:
    gone = {"delete": {"_id": "reg_1", "status": 404, "result": "not_found"}}
    Recorded.replies += [reply(200, {"errors": True, "items": [gone]})]
    engine.delete("tenant-a", ["reg_1"])
    assert Recorded.calls[0][2] == [{"delete": {"_index": "salon-tenant-a-catalogue", "_id": "reg_1"}}]


def test_a_text_search_is_scoped_to_tenant_event_and_visible_types(engine: OpenSearchCatalogue) -> None:
    Recorded.replies += [reply(200, search_reply([CARD], total=45))]
    page = engine.search(
        parse_query({"q": "emballage", "sector": "LOG", "requested": "false", "limit": "20"}), BUYER
    )
    method, url, body = Recorded.calls[0]
    assert (method, url) == ("POST", "/salon-tenant-a-catalogue/_search")
    assert body["query"]["bool"]["filter"] == [
        {"term": {"tenant_id": "tenant-a"}},
        {"term": {"event_id": "evt_1"}},
        {"terms": {"type": ["supplier"]}},
        {"term": {"sectors": "LOG"}},
    ]
    assert body["query"]["bool"]["must_not"] == [
        {"term": {"registration_id": "reg_me"}},
        {"terms": {"registration_id": ["reg_9"]}},
    ]
    text = body["query"]["bool"]["must"][0]["bool"]["should"]
    assert text[0]["multi_match"]["query"] == "emballage" and text[0]["multi_match"]["operator"] == "and"
    assert text[1] == {
        "match_bool_prefix": {"company_name": {"query": "emballage", "operator": "and", "boost": 2}}
    }
    assert body["sort"] == [{"_score": "desc"}, {"registration_id": "asc"}]
    assert (body["from"], body["size"]) == (0, 20)
    assert set(body["aggs"]) == {"type", "sector", "country", "size"}
    assert page.items == [CARD] and page.total == 45 and page.facets.type == {"supplier": 45}
    assert page.next_cursor is not None
    assert (
        parse_query(
            {"q": "emballage", "sector": "LOG", "requested": "false", "cursor": page.next_cursor}
        ).offset
        == 20
    )


def test_browsing_sorts_by_name_then_id(engine: OpenSearchCatalogue) -> None:
    Recorded.replies += [reply(200, search_reply([], total=0))]
    engine.search(parse_query({}), BUYER)
    body = Recorded.calls[0][2]
    assert "must" not in body["query"]["bool"]
    assert body["sort"] == [{"company_name.sort": "asc"}, {"registration_id": "asc"}]


def test_a_card_of_another_tenant_or_type_in_a_response_is_dropped(engine: OpenSearchCatalogue) -> None:
    foreign = CARD.model_copy(update={"tenant_id": "tenant-b", "registration_id": "reg_x"})
    buyer_card = CARD.model_copy(update={"type": "buyer", "registration_id": "reg_y"})
    Recorded.replies += [reply(200, search_reply([CARD, foreign, buyer_card], total=3))]
    assert engine.search(parse_query({}), BUYER).items == [CARD]


def test_a_viewer_who_sees_no_type_sends_no_query(engine: OpenSearchCatalogue) -> None:
    assert engine.search(parse_query({}), Viewer("tenant-a", "evt_1", frozenset())).total == 0
    assert Recorded.calls == []


def test_a_missing_tenant_index_is_an_empty_catalogue(engine: OpenSearchCatalogue) -> None:
    Recorded.replies += [reply(404, {"error": {"type": "index_not_found_exception"}, "status": 404})]
    page = engine.search(parse_query({"q": "x"}), BUYER)
    assert page.total == 0 and page.items == []


def test_by_id_goes_through_the_same_scope(engine: OpenSearchCatalogue) -> None:
    Recorded.replies += [reply(200, search_reply([CARD], total=1))]
    assert engine.card("reg_1", BUYER) == CARD
    filters = Recorded.calls[0][2]["query"]["bool"]["filter"]
    assert filters[0] == {"term": {"tenant_id": "tenant-a"}} and filters[-1] == {"ids": {"values": ["reg_1"]}}


def test_suggestion_inputs_score_overlaps_by_level_and_widen_over_ties(engine: OpenSearchCatalogue) -> None:
    tied = [CARD.model_copy(update={"registration_id": f"reg_{i}"}) for i in range(3)]
    Recorded.replies += [reply(200, search_reply(tied, total=3, scores=[3.0, 3.0, 3.0]))]
    Recorded.replies += [
        reply(
            200,
            search_reply(
                [*tied, CARD.model_copy(update={"registration_id": "reg_3"})],
                total=4,
                scores=[3.0, 3.0, 3.0, 1.0],
            ),
        )
    ]
    found = engine.candidates(Wanted(in_offers={"LOG": 1, "LOG.EMB": 2}, in_needs={"MEC": 1}), BUYER, limit=2)
    first, second = (call[2] for call in Recorded.calls)
    assert (first["size"], second["size"]) == (3, 6)
    should = first["query"]["bool"]["should"]
    assert should == [
        {"constant_score": {"filter": {"term": {"offers": "LOG"}}, "boost": 1}},
        {"constant_score": {"filter": {"term": {"offers": "LOG.EMB"}}, "boost": 2}},
        {"constant_score": {"filter": {"term": {"needs": "MEC"}}, "boost": 1}},
    ]
    assert first["query"]["bool"]["minimum_should_match"] == 1
    assert [card.registration_id for card in found] == ["reg_0", "reg_1", "reg_2", "reg_3"]


def test_rebuild_clears_the_event_then_reindexes(engine: OpenSearchCatalogue) -> None:
    Recorded.replies += [
        reply(200, {}),
        reply(200, {"deleted": 3}),
        reply(200, {"errors": False, "items": []}),
    ]
    engine.rebuild("tenant-a", "evt_1", [CARD])
    _, (method, url, body), (_, bulk_url, _) = Recorded.calls
    assert method == "POST" and url.startswith("/salon-tenant-a-catalogue/_delete_by_query")
    assert body == {
        "query": {"bool": {"filter": [{"term": {"tenant_id": "tenant-a"}}, {"term": {"event_id": "evt_1"}}]}}
    }
    assert bulk_url.startswith("/_bulk")
    with pytest.raises(ValueError, match="not of event"):
        engine.rebuild("tenant-a", "evt_2", [CARD])
    assert len(Recorded.calls) == 3  # nothing deleted for a refused rebuild
