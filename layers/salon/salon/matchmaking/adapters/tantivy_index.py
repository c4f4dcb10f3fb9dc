"""The local catalogue engine: one in-memory tantivy index per tenant, behind the CatalogueIndex port.

Tantivy finds and ranks; the cards themselves stay in a per-tenant map keyed by a numeric ordinal that
each document carries as a fast field, so a page or thousands of suggestion inputs are read without
decoding stored documents. A tenant's index holds only its cards: no query can reach another tenant's.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import count

import tantivy

from salon.kernel.values import fold
from salon.matchmaking.adapters.analyzers import ENGLISH, FOLDED, FRENCH, analyzers, query_words
from salon.matchmaking.domain.catalogue import Card, of_event
from salon.matchmaking.domain.query import FACETS, CataloguePage, CatalogueQuery, Facets
from salon.matchmaking.domain.suggestions import Wanted
from salon.matchmaking.domain.visibility import Viewer

_FACET_FIELDS = {"type": "type", "sector": "sectors", "country": "country", "size": "size"}
_FACET_SIZE = 2000  # the taxonomy's size limit: every sector gets its count
_NAME_BOOST = 3.0
_PREFIX_BOOST = 2.0
_WRITER_HEAP = 32_000_000
Must, Should, MustNot = tantivy.Occur.Must, tantivy.Occur.Should, tantivy.Occur.MustNot
_ASCENDING = tantivy.Order.Asc
_ALPHABET = {ch: i for i, ch in enumerate(" 0123456789abcdefghijklmnopqrstuvwxyz", start=1)}
_KEY_CHARS = 12  # 38 ** 12 < 2 ** 64


def sortable(name: str) -> str:
    """A company name as browsing sorts it: folded, letters and digits, single spaces."""
    return " ".join("".join(ch if ch in _ALPHABET else " " for ch in fold(name)).split())


def name_key(name: str) -> int:
    """An integer that orders like the first twelve characters of ``sortable(name)`` (0 pads)."""
    key = 0
    for ch in sortable(name)[:_KEY_CHARS].ljust(_KEY_CHARS, "\0"):
        key = key * (len(_ALPHABET) + 1) + _ALPHABET.get(ch, 0)
    return key


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("ordinal", fast=True)
    builder.add_text_field("rid", tokenizer_name="raw")
    builder.add_text_field("event", tokenizer_name="raw")
    builder.add_unsigned_field("name_key", fast=True)
    for keyword in ("type", "country", "size", "sectors", "needs", "offers"):
        builder.add_text_field(keyword, fast=True, tokenizer_name="raw")
    builder.add_text_field("name", tokenizer_name=FOLDED)
    builder.add_text_field("text_fr", tokenizer_name=FRENCH)
    builder.add_text_field("text_en", tokenizer_name=ENGLISH)
    return builder.build()


@dataclass
class _Tenant:
    index: tantivy.Index
    writer: tantivy.IndexWriter
    cards: dict[int, Card] = field(default_factory=dict)
    ordinals: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


class TantivyCatalogue:
    def __init__(self) -> None:
        self._schema = _schema()
        self._analyzers = analyzers()
        self._words = query_words()
        self._tenants: dict[str, _Tenant] = {}
        self._next = count(1)
        self._lock = threading.Lock()

    # --- writes ---------------------------------------------------------------------------------------

    def upsert(self, cards: Sequence[Card]) -> None:
        by_tenant: dict[str, list[Card]] = {}
        for card in cards:
            by_tenant.setdefault(card.tenant_id, []).append(card)
        for tenant_id, batch in by_tenant.items():
            tenant = self._tenant(tenant_id)
            with tenant.lock:
                for card in batch:
                    self._remove(tenant, card.registration_id)
                    self._add(tenant, card)
                self._commit(tenant)

    def delete(self, tenant_id: str, registration_ids: Sequence[str]) -> None:
        tenant = self._tenant(tenant_id)
        with tenant.lock:
            for rid in registration_ids:
                self._remove(tenant, rid)
            self._commit(tenant)

    def delete_event(self, tenant_id: str, event_id: str) -> None:
        self.rebuild(tenant_id, event_id, ())

    def rebuild(self, tenant_id: str, event_id: str, cards: Iterable[Card]) -> None:
        batch = of_event(tenant_id, event_id, cards)
        tenant = self._tenant(tenant_id)
        with tenant.lock:
            tenant.writer.delete_documents_by_term("event", event_id)
            for ordinal in [o for o, card in tenant.cards.items() if card.event_id == event_id]:
                del tenant.ordinals[tenant.cards.pop(ordinal).registration_id]
            for card in batch:
                self._remove(tenant, card.registration_id)
                self._add(tenant, card)
            self._commit(tenant)

    def _tenant(self, tenant_id: str) -> _Tenant:
        with self._lock:
            tenant = self._tenants.get(tenant_id)
            if tenant is None:
                index = tantivy.Index(self._schema)
                for name, analyzer in self._analyzers.items():
                    index.register_tokenizer(name, analyzer)
                tenant = _Tenant(index, index.writer(heap_size=_WRITER_HEAP, num_threads=1))
                self._tenants[tenant_id] = tenant
            return tenant

    def _add(self, tenant: _Tenant, card: Card) -> None:
        ordinal = next(self._next)
        tenant.cards[ordinal] = card
        tenant.ordinals[card.registration_id] = ordinal
        tenant.writer.add_document(
            tantivy.Document.from_dict(
                {
                    "ordinal": ordinal,
                    "rid": card.registration_id,
                    "event": card.event_id,
                    "type": card.type,
                    "country": card.country,
                    "size": card.size or "",
                    "sectors": list(card.sectors),
                    "needs": list(card.needs),
                    "offers": list(card.offers),
                    "name_key": name_key(card.company_name),
                    "name": card.company_name,
                    "text_fr": card.text("fr"),
                    "text_en": card.text("en"),
                },
                self._schema,
            )
        )

    def _remove(self, tenant: _Tenant, registration_id: str) -> None:
        ordinal = tenant.ordinals.pop(registration_id, None)
        if ordinal is not None:
            del tenant.cards[ordinal]
            tenant.writer.delete_documents_by_term("rid", registration_id)

    @staticmethod
    def _commit(tenant: _Tenant) -> None:
        tenant.writer.commit()
        tenant.index.reload()

    # --- reads ----------------------------------------------------------------------------------------

    def card(self, registration_id: str, viewer: Viewer) -> Card | None:
        tenant = self._tenants.get(viewer.tenant_id)
        ordinal = tenant.ordinals.get(registration_id) if tenant else None
        card = tenant.cards.get(ordinal) if tenant and ordinal is not None else None
        return card if card is not None and viewer.sees(card) else None

    def search(self, query: CatalogueQuery, viewer: Viewer) -> CataloguePage:
        tenant = self._tenants.get(viewer.tenant_id)
        scope = self._scope(viewer, query)
        if tenant is None or scope is None:
            return CataloguePage(items=[], facets=Facets(), total=0)
        searcher = tenant.index.searcher()
        text = self._text(query.q)
        matching = scope if text is None else tantivy.Query.boolean_query([(Must, scope), (Must, text)])
        facets = self._facets(searcher, matching)
        total = sum(facets.type.values())
        need = query.offset + query.limit
        cards = dict(tenant.cards)  # the indexer may delist a card while this searcher still holds it
        if text is None:
            hits = [h for h in self._collect(searcher, matching, need, order_by="name_key") if h[1] in cards]
            ranked = sorted(hits, key=lambda hit: self._by_name(cards[hit[1]]))
        else:
            hits = [h for h in self._collect(searcher, matching, need) if h[1] in cards]
            ranked = sorted(hits, key=lambda hit: (-hit[0], cards[hit[1]].registration_id))
        ordinals = [ordinal for _, ordinal in ranked[query.offset : need]]
        return CataloguePage(
            items=[cards[o] for o in ordinals],
            facets=facets,
            total=total,
            next_cursor=query.next_cursor(total),
        )

    def candidates(self, wanted: Wanted, viewer: Viewer, limit: int) -> list[Card]:
        tenant = self._tenants.get(viewer.tenant_id)
        scope = self._scope(viewer, CatalogueQuery())
        overlap = [
            (Should, tantivy.Query.const_score_query(self._term(name, code), float(weight)))
            for name, codes in (("offers", wanted.in_offers), ("needs", wanted.in_needs))
            for code, weight in codes.items()
        ]
        if tenant is None or scope is None or not overlap:
            return []
        query = tantivy.Query.boolean_query(
            [
                (Must, tantivy.Query.const_score_query(scope, 0.0)),
                (Must, tantivy.Query.boolean_query(overlap)),
            ]
        )
        hits = self._collect(tenant.index.searcher(), query, limit)
        return [tenant.cards[ordinal] for _, ordinal in hits]

    def _scope(self, viewer: Viewer, query: CatalogueQuery) -> tantivy.Query | None:
        """The mandatory filters (event, visible types, not myself) and the query's own; None if empty."""
        if not viewer.visible_types or (query.requested and not viewer.requested):
            return None
        clauses: list[tuple[tantivy.Occur, tantivy.Query]] = [
            (Must, self._term("event", viewer.event_id)),
            (Must, tantivy.Query.term_set_query(self._schema, "type", sorted(viewer.visible_types))),
        ]
        if viewer.registration_id is not None:
            clauses.append((MustNot, self._term("rid", viewer.registration_id)))
        for name, value in (
            ("type", query.type),
            ("sectors", query.sector),
            ("country", query.country),
            ("size", query.size),
        ):
            if value is not None:
                clauses.append((Must, self._term(name, value)))
        if query.requested is not None and viewer.requested:
            requested = tantivy.Query.term_set_query(self._schema, "rid", sorted(viewer.requested))
            clauses.append((Must if query.requested else MustNot, requested))
        return tantivy.Query.boolean_query(clauses)

    def _text(self, q: str) -> tantivy.Query | None:
        """Every word must match a stemmed description, label or name; the last may be a name prefix."""
        words = self._words.analyze(q)
        if not words:
            return None
        per_word: list[tuple[tantivy.Occur, tantivy.Query]] = []
        for position, word in enumerate(words):
            options = [
                self._analyzed("text_fr", FRENCH, word),
                self._analyzed("text_en", ENGLISH, word),
                tantivy.Query.boost_query(self._term("name", word), _NAME_BOOST),
            ]
            if position == len(words) - 1:
                prefix = tantivy.Query.fuzzy_term_query(self._schema, "name", word, distance=0, prefix=True)
                options.append(tantivy.Query.boost_query(prefix, _PREFIX_BOOST))
            per_word.append((Must, tantivy.Query.boolean_query([(Should, o) for o in options])))
        return tantivy.Query.boolean_query(per_word)

    def _analyzed(self, name: str, analyzer: str, word: str) -> tantivy.Query:
        terms = self._analyzers[analyzer].analyze(word)
        return self._term(name, terms[0]) if terms else tantivy.Query.empty_query()

    def _term(self, name: str, value: str) -> tantivy.Query:
        return tantivy.Query.term_query(self._schema, name, value)

    def _facets(self, searcher: tantivy.Searcher, scope: tantivy.Query) -> Facets:
        aggregations = {
            facet: {"terms": {"field": _FACET_FIELDS[facet], "size": _FACET_SIZE}} for facet in FACETS
        }
        result = searcher.aggregate(scope, aggregations)
        return Facets.model_validate(
            {
                facet: {b["key"]: b["doc_count"] for b in result[facet]["buckets"] if b["key"]}
                for facet in FACETS
            }
        )

    def _collect(
        self, searcher: tantivy.Searcher, query: tantivy.Query, need: int, order_by: str | None = None
    ) -> list[tuple[float | int, int]]:
        """The first ``need`` hits (by score, or ascending ``order_by``) and all hits tied with the last,
        as (key, ordinal): the caller breaks the ties, so pages do not depend on segment layout."""
        fetch = need + 1
        while True:
            if order_by is None:
                hits = searcher.search(query, fetch, count=False).hits
            else:
                hits = searcher.search(
                    query, fetch, count=False, order_by_field=order_by, order=_ASCENDING
                ).hits
            if len(hits) < fetch or hits[-1][0] != hits[need - 1][0]:
                break
            fetch *= 2
        ordinals = self._ordinals(searcher, [address for _, address in hits])
        return [(key, ordinal) for (key, _), ordinal in zip(hits, ordinals, strict=True)]

    @staticmethod
    def _by_name(card: Card) -> tuple[str, str]:
        return sortable(card.company_name), card.registration_id

    @staticmethod
    def _ordinals(searcher: tantivy.Searcher, addresses: list[tantivy.DocAddress]) -> list[int]:
        return [int(value or 0) for value in searcher.fast_field_values("ordinal", addresses)]
