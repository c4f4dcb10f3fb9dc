"""How a tenant's closure counts and deletes the tenant in each store of the registry.

The handler follows from the store's kind (``salon.kernel.stores``): every table's items under the
tenant's keys (``T#<tenant>#``), every bucket's objects under the tenant's prefix, the identity pool's
accounts of the tenant, the tenant's catalogue index; the reminder schedule groups of the tenant's
events. A store that keeps ids only for a fixed time, or nothing personal, is counted as its registry
entry says (``erasure_does``). Tables, buckets and the pool are named by the ``CLOSURE_STORES``
environment variable (logical id -> name), which a test ties to the registry.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.conditions import Attr

from salon.dsar.domain.findings import StoreCount
from salon.kernel import aws, keys
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


@dataclass(frozen=True)
class TenantStore:
    """A store the closure cannot search by tenant: kept per its registry entry (``note``)."""

    rule: Erasure
    note: str = ""

    def count(self, ctx: ClosureContext, store: str, tenant: Tenant) -> int | None:
        return None

    def erase(self, ctx: ClosureContext, store: str, tenant: Tenant) -> None:
        return None

    def tally(self, ctx: ClosureContext, store: str, tenant: Tenant) -> StoreCount:
        return StoreCount(target=store, rule=self.rule, before=self.count(ctx, store, tenant), note=self.note)


def _name(ctx: ClosureContext, store: str) -> str:
    name = ctx.names.get(store)
    if not name:
        raise LookupError(f"CLOSURE_STORES names no {store}")
    return name


@dataclass(frozen=True)
class TableItems(TenantStore):
    """Every item whose partition key is the tenant's (a parallel-free scan: a closure is rare)."""

    def _keys(self, ctx: ClosureContext, store: str, tenant: Tenant) -> Iterator[dict[str, Any]]:
        table = aws.dynamodb().Table(_name(ctx, store))
        kwargs: dict[str, Any] = {
            "FilterExpression": Attr("PK").begins_with(keys.tenant(tenant.tenant_id)),
            "ProjectionExpression": "PK, SK",
            "ConsistentRead": True,
        }
        while True:
            page = table.scan(**kwargs)
            yield from page.get("Items", [])
            if "LastEvaluatedKey" not in page:
                return
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def count(self, ctx: ClosureContext, store: str, tenant: Tenant) -> int | None:
        return sum(1 for _ in self._keys(ctx, store, tenant))

    def erase(self, ctx: ClosureContext, store: str, tenant: Tenant) -> None:
        table = aws.dynamodb().Table(_name(ctx, store))
        with table.batch_writer() as batch:
            for key in list(self._keys(ctx, store, tenant)):
                batch.delete_item(Key={"PK": key["PK"], "SK": key["SK"]})


@dataclass(frozen=True)
class PrefixedObjects(TenantStore):
    """Every object under the tenant's prefix (``<tenant>/``)."""

    def _keys(self, ctx: ClosureContext, store: str, tenant: Tenant) -> list[str]:
        pages = aws.s3().get_paginator("list_objects_v2")
        found = pages.paginate(Bucket=_name(ctx, store), Prefix=f"{tenant.tenant_id}/")
        return [str(o["Key"]) for page in found for o in page.get("Contents", [])]

    def count(self, ctx: ClosureContext, store: str, tenant: Tenant) -> int | None:
        return len(self._keys(ctx, store, tenant))

    def erase(self, ctx: ClosureContext, store: str, tenant: Tenant) -> None:
        found = self._keys(ctx, store, tenant)
        for start in range(0, len(found), 1000):
            chunk = [{"Key": k} for k in found[start : start + 1000]]
            aws.s3().delete_objects(Bucket=_name(ctx, store), Delete={"Objects": chunk, "Quiet": True})


@dataclass(frozen=True)
class TenantAccounts(TenantStore):
    """The identity pool's accounts whose ``custom:tenant_id`` is the tenant's (organisers included)."""

    def _usernames(self, ctx: ClosureContext, store: str, tenant: Tenant) -> list[str]:
        pages = aws.cognito().get_paginator("list_users").paginate(UserPoolId=_name(ctx, store))
        return [
            str(user["Username"])
            for page in pages
            for user in page.get("Users", [])
            if {"Name": "custom:tenant_id", "Value": tenant.tenant_id} in user.get("Attributes", [])
        ]

    def count(self, ctx: ClosureContext, store: str, tenant: Tenant) -> int | None:
        return len(self._usernames(ctx, store, tenant))

    def erase(self, ctx: ClosureContext, store: str, tenant: Tenant) -> None:
        client = aws.cognito()
        for username in self._usernames(ctx, store, tenant):
            with contextlib.suppress(client.exceptions.UserNotFoundException):  # a retried step
                client.admin_delete_user(UserPoolId=_name(ctx, store), Username=username)


@dataclass(frozen=True)
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

    def erase(self, ctx: ClosureContext, store: str, tenant: Tenant) -> None:
        index = ctx.catalogue()
        for event_id in tenant.events:
            index.delete_event(tenant.tenant_id, event_id)


@dataclass(frozen=True)
class ReminderGroups(TenantStore):
    """The reminder schedules of the tenant's events, one EventBridge Scheduler group per event."""

    def count(self, ctx: ClosureContext, store: str, tenant: Tenant) -> int | None:
        from salon.notify.domain.reminders import group_name

        client, n = aws.scheduler(), 0
        for event_id in tenant.events:
            with contextlib.suppress(client.exceptions.ResourceNotFoundException):
                pages = client.get_paginator("list_schedules").paginate(
                    GroupName=group_name(tenant.tenant_id, event_id)
                )
                n += sum(len(page.get("Schedules", [])) for page in pages)
        return n

    def erase(self, ctx: ClosureContext, store: str, tenant: Tenant) -> None:
        from salon.notify.adapters import schedule_groups
        from salon.notify.domain.reminders import group_name

        for event_id in tenant.events:
            schedule_groups.close(group_name(tenant.tenant_id, event_id))


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
    """The stores the closure deletes in, by name (the tables last: the others read the events)."""
    found = [s for s in STORES.values() if type(handler_for(s)) is not TenantStore]
    return [s.logical_id for s in sorted(found, key=lambda s: s.kind is StoreKind.TABLE_ITEMS)]


def context() -> ClosureContext:
    from salon.kernel.settings import get_settings

    def catalogue() -> CatalogueIndex:
        from salon.matchmaking.adapters import engines

        return engines.catalogue_index(get_settings(), *aws.where())

    return ClosureContext(names=json.loads(os.environ.get("CLOSURE_STORES", "{}")), catalogue=catalogue)
