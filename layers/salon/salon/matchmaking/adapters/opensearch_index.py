"""The production catalogue engine: OpenSearch through opensearch-py, signed with SigV4.

Every read goes to the caller's tenant index AND filters on its tenant id, event and visible types:
the filters are built in one place (``_scope``) that every query goes through.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import boto3
from opensearchpy import AWSV4SignerAuth, NotFoundError, OpenSearch, RequestsHttpConnection

from salon.kernel.values import fold
from salon.matchmaking.adapters.opensearch_mapping import INDEX_BODY, index_name
from salon.matchmaking.domain.catalogue import Card, of_event
from salon.matchmaking.domain.query import FACETS, CataloguePage, CatalogueQuery, Facets
from salon.matchmaking.domain.suggestions import Wanted
from salon.matchmaking.domain.visibility import Viewer

_FACET_FIELDS = {"type": "type", "sector": "sectors", "country": "country", "size": "size"}
_FACET_SIZE = 2000
_BATCH = 500
Body = dict[str, Any]


class IndexWriteFailed(RuntimeError):
    """Some documents of a batch were refused; the stream consumer reports them as failed items."""

    def __init__(self, registration_ids: list[str]) -> None:
        super().__init__(f"{len(registration_ids)} card(s) were not indexed")
        self.registration_ids = registration_ids


def connect(host: str, region: str, service: str = "es") -> OpenSearch:
    """A client signed with the Lambda role's credentials (``service`` is ``aoss`` for serverless)."""
    credentials = boto3.Session().get_credentials()
    return OpenSearch(
        hosts=[{"host": host, "port": 443}],
        http_auth=AWSV4SignerAuth(credentials, region, service),
        use_ssl=True,
        verify_certs=True,
        connection_class=RequestsHttpConnection,
        timeout=5,
    )


def document(card: Card) -> Body:
    return {
        "registration_id": card.registration_id,
        "event_id": card.event_id,
        "tenant_id": card.tenant_id,
        "type": card.type,
        "country": card.country,
        "size": card.size,
        "sectors": list(card.sectors),
        "needs": list(card.needs),
        "offers": list(card.offers),
        "company_name": card.company_name,
        "text_fr": card.text("fr"),
        "text_en": card.text("en"),
        "card": card.model_dump(mode="json"),
    }


class OpenSearchCatalogue:
    def __init__(self, client: OpenSearch) -> None:
        self._client = client
        self._ready: set[str] = set()

    # --- writes ---------------------------------------------------------------------------------------

    def upsert(self, cards: Sequence[Card]) -> None:
        actions: list[Body] = []
        for card in cards:
            self._ensure(card.tenant_id)
            target = {"_index": index_name(card.tenant_id), "_id": card.registration_id}
            actions += [{"index": target}, document(card)]
        self._bulk(actions)

    def delete(self, tenant_id: str, registration_ids: Sequence[str]) -> None:
        self._bulk([{"delete": {"_index": index_name(tenant_id), "_id": rid}} for rid in registration_ids])

    def delete_event(self, tenant_id: str, event_id: str) -> None:
        self._client.delete_by_query(
            index=index_name(tenant_id),
            body={"query": {"bool": {"filter": _tenant_event(tenant_id, event_id)}}},
            params={"refresh": "true", "conflicts": "proceed"},
        )

    def rebuild(self, tenant_id: str, event_id: str, cards: Iterable[Card]) -> None:
        """Not atomic: between the delete and the last batch a search sees part of the event."""
        batch = of_event(tenant_id, event_id, cards)
        self._ensure(tenant_id)
        self.delete_event(tenant_id, event_id)
        for start in range(0, len(batch), _BATCH):
            self.upsert(batch[start : start + _BATCH])

    def _ensure(self, tenant_id: str) -> None:
        name = index_name(tenant_id)
        if name in self._ready:
            return
        if not self._client.indices.exists(index=name):
            self._client.indices.create(index=name, body=INDEX_BODY, params={"ignore": 400})
        self._ready.add(name)

    def _bulk(self, actions: list[Body]) -> None:
        if not actions:
            return
        payload = "".join(json.dumps(action) + "\n" for action in actions)
        response = self._client.bulk(body=payload, params={"refresh": "wait_for"})
        if response.get("errors"):
            failed = [
                str(result["_id"])
                for item in response["items"]
                for result in item.values()
                if result.get("status", 500) >= 300 and not (result.get("status") == 404 and "delete" in item)
            ]
            if failed:
                raise IndexWriteFailed(failed)

    # --- reads ----------------------------------------------------------------------------------------

    def card(self, registration_id: str, viewer: Viewer) -> Card | None:
        scope = _scope(viewer, CatalogueQuery())
        if scope is None:
            return None
        scope["bool"]["filter"].append({"ids": {"values": [registration_id]}})
        hits = self._search(viewer, {"query": scope, "size": 1})["hits"]["hits"]
        card = Card.model_validate(hits[0]["_source"]["card"]) if hits else None
        return card if card is not None and viewer.sees(card) else None

    def search(self, query: CatalogueQuery, viewer: Viewer) -> CataloguePage:
        scope = _scope(viewer, query)
        if scope is None:
            return CataloguePage(items=[], facets=Facets(), total=0)
        text = _text(query.q)
        if text is not None:
            scope["bool"]["must"] = [text]
        body: Body = {
            "query": scope,
            "from": query.offset,
            "size": query.limit,
            "track_total_hits": True,
            "_source": ["card"],
            "sort": (
                [{"company_name.sort": "asc"}, {"registration_id": "asc"}]
                if text is None
                else [{"_score": "desc"}, {"registration_id": "asc"}]
            ),
            "aggs": {
                facet: {"terms": {"field": _FACET_FIELDS[facet], "size": _FACET_SIZE}} for facet in FACETS
            },
        }
        response = self._search(viewer, body)
        total = int(response["hits"]["total"]["value"])
        facets = Facets.model_validate(
            {
                facet: {b["key"]: b["doc_count"] for b in response["aggregations"][facet]["buckets"]}
                for facet in FACETS
            }
        )
        items = [Card.model_validate(hit["_source"]["card"]) for hit in response["hits"]["hits"]]
        return CataloguePage(
            items=[card for card in items if viewer.sees(card)],
            facets=facets,
            total=total,
            next_cursor=query.next_cursor(total),
        )

    def candidates(self, wanted: Wanted, viewer: Viewer, limit: int) -> list[Card]:
        scope = _scope(viewer, CatalogueQuery())
        overlap = [
            {"constant_score": {"filter": {"term": {field: code}}, "boost": weight}}
            for field, codes in (("offers", wanted.in_offers), ("needs", wanted.in_needs))
            for code, weight in codes.items()
        ]
        if scope is None or not overlap:
            return []
        scope["bool"]["should"] = overlap
        scope["bool"]["minimum_should_match"] = 1
        fetch = limit + 1
        while True:
            body = {
                "query": scope,
                "size": fetch,
                "_source": ["card"],
                "sort": [{"_score": "desc"}, {"registration_id": "asc"}],
            }
            hits = self._search(viewer, body)["hits"]["hits"]
            if len(hits) < fetch or hits[-1]["_score"] < hits[limit - 1]["_score"]:
                break
            fetch *= 2
        cards = [Card.model_validate(hit["_source"]["card"]) for hit in hits]
        return [card for card in cards if viewer.sees(card)]

    def _search(self, viewer: Viewer, body: Body) -> Body:
        try:
            response: Body = self._client.search(index=index_name(viewer.tenant_id), body=body)
        except NotFoundError:
            return {"hits": {"total": {"value": 0}, "hits": []}, "aggregations": _empty_aggregations()}
        return response


def _empty_aggregations() -> Body:
    return {facet: {"buckets": []} for facet in FACETS}


def _tenant_event(tenant_id: str, event_id: str) -> list[Body]:
    return [{"term": {"tenant_id": tenant_id}}, {"term": {"event_id": event_id}}]


def _scope(viewer: Viewer, query: CatalogueQuery) -> Body | None:
    """The mandatory filters (tenant, event, visible types, not myself) and the query's own."""
    if not viewer.visible_types or (query.requested and not viewer.requested):
        return None
    filters: list[Body] = [
        *_tenant_event(viewer.tenant_id, viewer.event_id),
        {"terms": {"type": sorted(viewer.visible_types)}},
    ]
    excluded: list[Body] = []
    if viewer.registration_id is not None:
        excluded.append({"term": {"registration_id": viewer.registration_id}})
    for field, value in (
        ("type", query.type),
        ("sectors", query.sector),
        ("country", query.country),
        ("size", query.size),
    ):
        if value is not None:
            filters.append({"term": {field: value}})
    if query.requested is not None and viewer.requested:
        requested = {"terms": {"registration_id": sorted(viewer.requested)}}
        (filters if query.requested else excluded).append(requested)
    return {"bool": {"filter": filters, "must_not": excluded}}


def _text(q: str) -> Body | None:
    """All words must match the name, the French or the English text; the last word may be a name prefix."""
    if not fold(q).strip():
        return None
    return {
        "bool": {
            "should": [
                {
                    "multi_match": {
                        "query": q,
                        "fields": ["company_name^3", "text_fr", "text_en"],
                        "type": "cross_fields",
                        "operator": "and",
                    }
                },
                {"match_bool_prefix": {"company_name": {"query": q, "operator": "and", "boost": 2}}},
            ],
            "minimum_should_match": 1,
        }
    }
