"""Where a tenant's data is in the stores named by their logical id: every table's items under the
tenant's keys (``T#<tenant>#``), every bucket's objects under the tenant's prefix (``<tenant>/``), the
identity pool's accounts whose ``custom:tenant_id`` is the tenant's. The closure counts and deletes
by it (``closure_stores``), the tenant's export reads by it (``tenant_data``): one enumeration.

The stores are named by the ``CLOSURE_STORES`` environment variable (logical id -> name), which a
test ties to the registry for every function that reads it."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from typing import Any

from boto3.dynamodb.conditions import Attr

from salon.kernel import aws, keys


def names() -> Mapping[str, str]:
    """The tables, buckets and user pool of the registry: logical id -> name."""
    return dict(json.loads(os.environ.get("CLOSURE_STORES", "{}")))


def table_items(table_name: str, tenant_id: str, projection: str | None = None) -> Iterator[dict[str, Any]]:
    """Every item whose partition key is the tenant's: a scan (no index has every item of a tenant;
    a closure or a tenant's export is rare)."""
    table = aws.dynamodb().Table(table_name)
    kwargs: dict[str, Any] = {
        "FilterExpression": Attr("PK").begins_with(keys.tenant(tenant_id)),
        "ConsistentRead": True,
    }
    if projection:
        kwargs["ProjectionExpression"] = projection
    while True:
        page = table.scan(**kwargs)
        yield from page.get("Items", [])
        if "LastEvaluatedKey" not in page:
            return
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def object_keys(bucket: str, tenant_id: str) -> list[str]:
    """Every object under the tenant's prefix."""
    found: list[str] = []
    kwargs = {"Bucket": bucket, "Prefix": f"{tenant_id}/"}
    while True:
        page = aws.s3().list_objects_v2(**kwargs)
        found += [str(o["Key"]) for o in page.get("Contents", [])]
        if not page.get("IsTruncated"):
            return found
        kwargs["ContinuationToken"] = page["NextContinuationToken"]


def accounts(pool_id: str, tenant_id: str) -> list[dict[str, Any]]:
    """The pool's accounts of the tenant (organisers included), as ListUsers gives them."""
    found: list[dict[str, Any]] = []
    kwargs = {"UserPoolId": pool_id}
    mine = {"Name": "custom:tenant_id", "Value": tenant_id}
    while True:
        page = aws.cognito().list_users(**kwargs)
        found += [u for u in page.get("Users", []) if mine in u.get("Attributes", [])]
        if not page.get("PaginationToken"):
            return found
        kwargs["PaginationToken"] = page["PaginationToken"]
