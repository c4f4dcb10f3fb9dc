"""What the workflow's steps walk: the person index and every store's handler, built lazily over the
shared platform; tests may override (a handler fault, a residue)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from salon.dsar.adapters.context import StoreContext
from salon.dsar.adapters.coverage import handler_for
from salon.dsar.adapters.handlers import Handler
from salon.dsar.adapters.people import People
from salon.dsar.domain.targets import Target
from salon.kernel import aws
from salon.kernel.platform import AreaDeps, Platform
from salon.kernel.stores import STORES

if TYPE_CHECKING:
    from salon.matchmaking.adapters.catalogue_index import CatalogueIndex


def _catalogue(shared: Platform) -> Callable[[], CatalogueIndex]:
    def build() -> CatalogueIndex:
        # Imported on first use: only the steps that search the catalogue load its engine.
        from salon.matchmaking.adapters import engines

        return engines.catalogue_index(shared.settings, *aws.where())

    return build


def _registered(target: Target) -> Handler | None:
    return handler_for(target, STORES[target.store].kind)


@dataclass
class Walk:
    people: People
    stores: StoreContext
    # Which handler serves a target (tests replace it to inject a fault or a residue).
    handler: Callable[[Target], Handler | None] = field(default=_registered)


def build(shared: Platform) -> Walk:
    return Walk(
        people=People(shared.table),
        stores=StoreContext(
            table=shared.table,
            audit_table=shared.audit.table,
            user_pool_id=shared.settings.user_pool_id,
            catalogue=_catalogue(shared),
        ),
    )


_walk = AreaDeps(build)
get = _walk.get
override = _walk.override
