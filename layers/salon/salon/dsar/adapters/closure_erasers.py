"""How a tenant's closure deletes the tenant in each store it counts (``closure_stores``): one eraser
per kind of handler. Only the erase step imports this module, so only its role may delete."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping

from salon.dsar.adapters.closure_stores import (
    ClosureContext,
    PrefixedObjects,
    ReminderGroups,
    TableItems,
    Tenant,
    TenantAccounts,
    TenantCatalogue,
    TenantStore,
)
from salon.kernel import aws

Eraser = Callable[[ClosureContext, str, Tenant], None]


def _items(ctx: ClosureContext, store: str, tenant: Tenant) -> None:
    found = list(TableItems.keys(ctx, store, tenant))
    with aws.dynamodb().Table(ctx.name(store)).batch_writer() as batch:
        for key in found:
            batch.delete_item(Key={"PK": key["PK"], "SK": key["SK"]})


def _objects(ctx: ClosureContext, store: str, tenant: Tenant) -> None:
    found = PrefixedObjects.keys(ctx, store, tenant)
    for start in range(0, len(found), 1000):  # DeleteObjects takes 1,000 keys at most
        chunk = [{"Key": k} for k in found[start : start + 1000]]
        aws.s3().delete_objects(Bucket=ctx.name(store), Delete={"Objects": chunk, "Quiet": True})


def _accounts(ctx: ClosureContext, store: str, tenant: Tenant) -> None:
    client = aws.cognito()
    for username in TenantAccounts.usernames(ctx, store, tenant):
        with contextlib.suppress(client.exceptions.UserNotFoundException):  # a retried step
            client.admin_delete_user(UserPoolId=ctx.name(store), Username=username)


def _catalogue(ctx: ClosureContext, store: str, tenant: Tenant) -> None:
    index = ctx.catalogue()
    for event_id in tenant.events:
        index.delete_event(tenant.tenant_id, event_id)


def _reminder_groups(ctx: ClosureContext, store: str, tenant: Tenant) -> None:
    from salon.notify.adapters import schedule_groups

    for group in ReminderGroups.groups(ctx, store, tenant):  # only those that exist: nothing to close
        schedule_groups.close(group)


ERASERS: Mapping[type[TenantStore], Eraser] = {
    TableItems: _items,
    PrefixedObjects: _objects,
    TenantAccounts: _accounts,
    TenantCatalogue: _catalogue,
    ReminderGroups: _reminder_groups,
}


def erase(handler: TenantStore, ctx: ClosureContext, store: str, tenant: Tenant) -> None:
    eraser = ERASERS.get(type(handler))
    if eraser is None:
        raise LookupError(f"the closure cannot delete in {store}")
    eraser(ctx, store, tenant)
