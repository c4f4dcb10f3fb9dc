"""How a tenant's closure counts the tenant in each store of the registry (``closure_erasers``
deletes it: only the erase step's role may delete).

The handler follows from the store's kind (``salon.kernel.stores``): every table's items under the
tenant's keys (``T#<tenant>#``), every bucket's objects under the tenant's prefix, the identity pool's
accounts of the tenant (all three found by ``tenant_stores``, which the tenant's export reads by
too), the tenant's catalogue cards; the reminder schedule groups of the tenant's
events by their own entry. A store that keeps ids only for a fixed time, or nothing personal, is
counted as its registry entry says (``erasure_does``). Tables, buckets and the pool are named by the
``CLOSURE_STORES`` environment variable (logical id -> name), which a test ties to the registry.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from salon.dsar.adapters import tenant_stores
from salon.dsar.domain.findings import StoreCount
from salon.kernel import aws
from salon.kernel.registry import Erasure
from salon.kernel.stores import STORES, Store, StoreKind

if TYPE_CHECKING:
    from salon.matchmaking.adapters.catalogue_index import CatalogueIndex

SCHEDULE_GROUPS = "NotifyFunctionRole.ScheduleGroups"


@dataclass(frozen=True)
class Tenant:
    """The tenant being closed, and its events with their participation types as the inventory found
    them (the catalogue and the reminder groups are per event; the table's copy goes with the table)."""

    tenant_id: str
    events: Mapping[str, tuple[str, ...]]


@dataclass
class ClosureContext:
    names: Mapping[str, str]  # logical id -> table, bucket or user pool
    catalogue: Callable[[], CatalogueIndex]

    def name(self, store: str) -> str:
        found = self.names.get(store)
        if not found:
            raise LookupError(f"CLOSURE_STORES names no {store}")
        return found


@dataclass(frozen=True)
class TenantStore:
    """A store the closure cannot search by tenant: kept per its registry entry (``note``)."""

    rule: Erasure
    note: str = ""

    def count(self, ctx: ClosureContext, store: str, tenant: Tenant) -> int | None:
        return None

    def tally(self, ctx: ClosureContext, store: str, tenant: Tenant) -> StoreCount:
        return StoreCount(target=store, rule=self.rule, before=self.count(ctx, store, tenant), note=self.note)


class TableItems(TenantStore):
    """Every item whose partition key is the tenant's (``tenant_stores.table_items``)."""

    @staticmethod
    def keys(ctx: ClosureContext, store: str, tenant: Tenant) -> Iterator[dict[str, Any]]:
        return tenant_stores.table_items(ctx.name(store), tenant.tenant_id, "PK, SK")

    def count(self, ctx: ClosureContext, store: str, tenant: Tenant) -> int | None:
        return sum(1 for _ in self.keys(ctx, store, tenant))


class PrefixedObjects(TenantStore):
    """Every object under the tenant's prefix (``<tenant>/``)."""

    @staticmethod
    def keys(ctx: ClosureContext, store: str, tenant: Tenant) -> list[str]:
        return tenant_stores.object_keys(ctx.name(store), tenant.tenant_id)

    def count(self, ctx: ClosureContext, store: str, tenant: Tenant) -> int | None:
        return len(self.keys(ctx, store, tenant))


class TenantAccounts(TenantStore):
    """The identity pool's accounts whose ``custom:tenant_id`` is the tenant's (organisers included)."""

    @staticmethod
    def usernames(ctx: ClosureContext, store: str, tenant: Tenant) -> list[str]:
        return [str(u["Username"]) for u in tenant_stores.accounts(ctx.name(store), tenant.tenant_id)]

    def count(self, ctx: ClosureContext, store: str, tenant: Tenant) -> int | None:
        return len(self.usernames(ctx, store, tenant))


class TenantCatalogue(TenantStore):
    """The catalogue's cards of every event of the tenant."""

    def count(self, ctx: ClosureContext, store: str, tenant: Tenant) -> int | None:
        from salon.matchmaking.domain.query import CatalogueQuery
        from salon.matchmaking.domain.visibility import staff_viewer

        index = ctx.catalogue()
        return sum(
            index.search(CatalogueQuery(limit=1), staff_viewer(tenant.tenant_id, e, types)).total
            for e, types in tenant.events.items()
        )


class ReminderGroups(TenantStore):
    """The reminder schedule groups of the tenant's events (one per event; its schedules go with it)."""

    @staticmethod
    def groups(ctx: ClosureContext, store: str, tenant: Tenant) -> list[str]:
        from salon.notify.domain.reminders import group_name

        client, found = aws.scheduler(), []
        for event_id in tenant.events:
            with contextlib.suppress(client.exceptions.ResourceNotFoundException):
                found.append(
                    str(client.get_schedule_group(Name=group_name(tenant.tenant_id, event_id))["Name"])
                )
        return found

    def count(self, ctx: ClosureContext, store: str, tenant: Tenant) -> int | None:
        return len(self.groups(ctx, store, tenant))


BY_KIND: Mapping[StoreKind, type[TenantStore]] = {
    StoreKind.TABLE_ITEMS: TableItems,
    StoreKind.DOCUMENTS: PrefixedObjects,
    StoreKind.USER_ATTRIBUTES: TenantAccounts,
    StoreKind.SEARCH_INDEX: TenantCatalogue,
}
BY_STORE: Mapping[str, type[TenantStore]] = {SCHEDULE_GROUPS: ReminderGroups}


def handler_for(store: Store) -> TenantStore:
    """The closure's handler of a store: deleted by kind (or by its own entry), else as registered."""
    searched = BY_STORE.get(store.logical_id) or BY_KIND.get(store.kind)
    if searched is not None:
        return searched(Erasure.DELETE, "everything of the tenant is deleted")
    rule = store.erasure if store.erasure in (Erasure.EXPIRE, Erasure.NOT_PERSONAL) else Erasure.EXPIRE
    return TenantStore(rule, store.erasure_does)


def searched_stores() -> list[str]:
    """The stores the closure deletes in, the tables first: the catalogue, the reminders and the
    documents are derived from the table's items by asynchronous consumers, which then find nothing to
    re-create them from (the steps read the tenant's events from the closure record)."""
    found = [s for s in STORES.values() if type(handler_for(s)) is not TenantStore]
    return [s.logical_id for s in sorted(found, key=lambda s: s.kind is not StoreKind.TABLE_ITEMS)]


def context() -> ClosureContext:
    from salon.kernel.settings import get_settings

    def catalogue() -> CatalogueIndex:
        from salon.matchmaking.adapters import engines

        return engines.catalogue_index(get_settings(), *aws.where())

    return ClosureContext(names=tenant_stores.names(), catalogue=catalogue)
