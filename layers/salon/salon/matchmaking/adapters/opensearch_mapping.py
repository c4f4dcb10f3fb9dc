"""The production index: one per tenant, French and English analyzers, keywords for filters and facets."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from salon.kernel.values import fold

_SAFE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,150}$")
FRENCH_ELISIONS = ["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"]


def index_name(tenant_id: str) -> str:
    """``salon-<tenant>-catalogue``; a tenant id unfit for an index name is slugged and hashed."""
    if _SAFE.match(tenant_id):
        return f"salon-{tenant_id}-catalogue"
    slug = re.sub(r"[^a-z0-9_-]+", "-", fold(tenant_id)).strip("-_")[:100]
    digest = hashlib.sha256(tenant_id.encode()).hexdigest()[:12]
    return f"salon-{slug}-{digest}-catalogue" if slug else f"salon-{digest}-catalogue"


_KEYWORDS = (
    "registration_id",
    "event_id",
    "tenant_id",
    "type",
    "country",
    "size",
    "sectors",
    "needs",
    "offers",
)

INDEX_BODY: dict[str, Any] = {
    "settings": {
        "analysis": {
            "filter": {
                "salon_fr_elision": {"type": "elision", "articles_case": True, "articles": FRENCH_ELISIONS},
                "salon_fr_stemmer": {"type": "stemmer", "language": "light_french"},
                "salon_en_possessive": {"type": "stemmer", "language": "possessive_english"},
                "salon_en_stemmer": {"type": "stemmer", "language": "english"},
            },
            "normalizer": {"salon_sort": {"type": "custom", "filter": ["lowercase", "asciifolding"]}},
            "analyzer": {
                "salon_fr": {
                    "tokenizer": "standard",
                    "filter": ["salon_fr_elision", "lowercase", "asciifolding", "salon_fr_stemmer"],
                },
                "salon_en": {
                    "tokenizer": "standard",
                    "filter": ["salon_en_possessive", "lowercase", "asciifolding", "salon_en_stemmer"],
                },
                "salon_folded": {"tokenizer": "standard", "filter": ["lowercase", "asciifolding"]},
            },
        }
    },
    "mappings": {
        "dynamic": "strict",
        "properties": {
            **{name: {"type": "keyword"} for name in _KEYWORDS},
            "company_name": {
                "type": "text",
                "analyzer": "salon_folded",
                "fields": {"sort": {"type": "keyword", "normalizer": "salon_sort"}},
            },
            "text_fr": {"type": "text", "analyzer": "salon_fr"},
            "text_en": {"type": "text", "analyzer": "salon_en"},
            "card": {"type": "object", "enabled": False},
        },
    },
}
