"""What the store handlers reach: the tables, the identity pool, the catalogue (built lazily)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from salon.kernel.dynamo import Table

if TYPE_CHECKING:
    from salon.matchmaking.adapters.catalogue_index import CatalogueIndex


@dataclass
class StoreContext:
    table: Table
    audit_table: Table
    user_pool_id: str
    catalogue: Callable[[], CatalogueIndex]
