"""What a request walks: every store of the personal-data registry, and for a table every item type
of it (``salon.kernel.stores.STORES``, ``salon.kernel.registry.REGISTRY``), never a hand-kept list."""

from __future__ import annotations

from dataclasses import dataclass

from salon.kernel.registry import REGISTRY, Erasure
from salon.kernel.stores import STORES, StoreKind


@dataclass(frozen=True)
class Target:
    store: str  # the template's logical id
    item_type: str | None  # for a table's items; None for a whole store
    rule: Erasure  # what erasure does there (the registry's)

    @property
    def name(self) -> str:
        return f"{self.store}/{self.item_type}" if self.item_type else self.store


def targets() -> tuple[Target, ...]:
    """Every store, a table by its item types, in the registry's order (tables before the copies of
    their data, e.g. the search index, which an erasure rebuilds from the table)."""
    out: list[Target] = []
    for store in STORES.values():
        if store.kind is StoreKind.TABLE_ITEMS:
            out.extend(Target(store.logical_id, t, REGISTRY[t].erasure) for t in store.item_types)
        else:
            out.append(Target(store.logical_id, None, store.erasure))
    return tuple(out)
