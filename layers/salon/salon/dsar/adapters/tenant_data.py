"""What a tenant's export reads: every store of the registry that holds the tenant's own data (its
tables, buckets and user pool; the catalogue and the reminder schedules are copies rebuilt from the
table), found as the closure finds what it deletes (``tenant_stores``). Earlier exports' archives are
left out (each would hold the previous ones)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from salon.dsar.adapters import tenant_stores
from salon.kernel import aws
from salon.kernel.stores import STORES, StoreKind

EXPORTED_KINDS = (StoreKind.TABLE_ITEMS, StoreKind.DOCUMENTS, StoreKind.USER_ATTRIBUTES)
EXPORTS_FOLDER = "tenant-exports"


def archive_key(tenant_id: str, export_id: str) -> str:
    """Where a tenant's export is written (in the DSAR bucket, under the tenant's prefix)."""
    return f"{tenant_id}/{EXPORTS_FOLDER}/{export_id}/archive.zip"


def exported_stores(kind: StoreKind) -> list[str]:
    """The registry's stores of a kind the export reads, by logical id."""
    return sorted(s.logical_id for s in STORES.values() if s.kind is kind and kind in EXPORTED_KINDS)


@dataclass(frozen=True)
class Document:
    store: str
    key: str
    content_type: str
    body: bytes


def table_items(tenant_id: str) -> dict[str, list[dict[str, Any]]]:
    """Every item of the tenant, per table."""
    names = tenant_stores.names()
    return {
        store: list(tenant_stores.table_items(names[store], tenant_id))
        for store in exported_stores(StoreKind.TABLE_ITEMS)
    }


def documents(tenant_id: str) -> Iterator[Document]:
    """Every object under the tenant's prefix in every bucket, but earlier exports' archives."""
    names = tenant_stores.names()
    earlier_exports = f"{tenant_id}/{EXPORTS_FOLDER}/"
    for store in exported_stores(StoreKind.DOCUMENTS):
        for key in tenant_stores.object_keys(names[store], tenant_id):
            if key.startswith(earlier_exports):
                continue
            found = aws.s3().get_object(Bucket=names[store], Key=key)
            yield Document(store, key, str(found.get("ContentType", "")), bytes(found["Body"].read()))


def accounts(tenant_id: str) -> dict[str, list[dict[str, Any]]]:
    """The tenant's login accounts, per user pool: username, e-mail, role, status (no secret)."""
    names = tenant_stores.names()
    return {
        store: [_account(names[store], user) for user in tenant_stores.accounts(names[store], tenant_id)]
        for store in exported_stores(StoreKind.USER_ATTRIBUTES)
    }


def _account(pool_id: str, user: dict[str, Any]) -> dict[str, Any]:
    attributes = {a["Name"]: a["Value"] for a in user.get("Attributes", [])}
    groups = aws.cognito().admin_list_groups_for_user(UserPoolId=pool_id, Username=user["Username"])
    return {
        "username": user["Username"],
        "email": attributes.get("email", ""),
        "role": ", ".join(sorted(str(g["GroupName"]) for g in groups.get("Groups", []))),
        "status": user.get("UserStatus", ""),
        "enabled": bool(user.get("Enabled", True)),
        "created_at": str(user.get("UserCreateDate", "")),
    }
