"""The catalogue engine the settings choose, opened once per execution environment.

Production: OpenSearch (``SEARCH_ENGINE=opensearch``, ``SEARCH_ENDPOINT`` the domain's host). The local
cloud: tantivy in memory, one engine per process, so the indexer and the search handler (both run
in-process there) share it. Each engine's library is imported only here, when it is chosen: functions
that never search (register...) never load it.
"""

from __future__ import annotations

import threading

from salon.kernel.settings import Settings
from salon.matchmaking.adapters.catalogue_index import CatalogueIndex

_lock = threading.Lock()
_opened: dict[tuple[str, str, str], CatalogueIndex] = {}
_override: CatalogueIndex | None = None


def catalogue_index(settings: Settings, endpoint: str, region: str) -> CatalogueIndex:
    """The engine; ``endpoint`` and ``region`` are the AWS ones (a new local cloud gets a new engine)."""
    if _override is not None:
        return _override
    key = (settings.search_engine, settings.search_endpoint or endpoint, region)
    with _lock:
        if key not in _opened:
            _opened[key] = _open(settings, region)
        return _opened[key]


def _open(settings: Settings, region: str) -> CatalogueIndex:
    if settings.search_engine == "tantivy":
        from salon.matchmaking.adapters.tantivy_index import TantivyCatalogue

        return TantivyCatalogue()
    from salon.matchmaking.adapters.opensearch_index import OpenSearchCatalogue, connect

    if not settings.search_endpoint:
        raise RuntimeError("SEARCH_ENDPOINT is not set: the OpenSearch engine has no domain")
    return OpenSearchCatalogue(connect(settings.search_endpoint, region))


def override(index: CatalogueIndex | None) -> None:
    """Use ``index`` (or, with ``None``, the configured engine again); for tests."""
    global _override
    _override = index
