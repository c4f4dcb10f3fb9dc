"""The audit trail over HTTP: no data leaves unaudited, and the audit table holds ids only."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError
from salon.kernel.audit_record import AuditRecord
from salon.kernel.audit_store import AuditStore
from test_register_support import Tenant, is_problem, ok, registration_body, tenant

pytestmark = pytest.mark.e2e


@pytest.fixture
def world(user_factory: Any) -> Tenant:
    return tenant(user_factory, "audit")


class UnwritableAuditStore(AuditStore):
    """The audit table refusing writes (throttled): a fault the local cloud cannot produce."""

    def append(self, record: AuditRecord) -> None:
        raise ClientError({"Error": {"Code": "ProvisionedThroughputExceededException"}}, "PutItem")


@pytest.fixture
def unwritable_audit(cloud: Any) -> Iterator[None]:
    from salon.kernel import platform

    real = platform.get()
    platform.override(replace(real, audit=UnwritableAuditStore(real.audit.table)))
    try:
        yield
    finally:
        platform.override(None)  # back to the lazily built, environment-derived platform


def _registered(world: Tenant, api: Any) -> dict[str, Any]:
    body = registration_body()
    created = ok(api.post(f"/events/{world.event_id}/registrations", json=body), 201)
    return {"registration_id": created["registration_id"], "email": body["participants"][0]["email"]}


def test_a_read_whose_audit_record_cannot_be_written_answers_503_and_no_data(
    world: Tenant, api: Any, unwritable_audit: None
) -> None:
    created = _registered(world, api)
    rid, email = created["registration_id"], created["email"]
    org = world.organizer.api
    for path in (f"/registrations/{rid}", f"/events/{world.event_id}/registrations"):
        response = org.get(path)
        assert response.status_code == 503 and is_problem(response), path
        assert response.headers.get("Retry-After")
        assert email not in response.text and rid not in json.dumps(response.json().get("items", []))


def test_audit_items_hold_ids_only_and_expire_36_months_after_writing(
    world: Tenant, api: Any, cloud: Any
) -> None:
    created = _registered(world, api)
    rid, email = created["registration_id"], created["email"]
    detail = ok(world.organizer.api.get(f"/registrations/{rid}"))
    pid = detail["participants"][0]["participant_id"]
    trail = ok(world.dpo.api.get("/audit", params={"subject_id": pid}))["items"]
    assert [item["action"] for item in trail] == ["registration.read"]
    assert set(trail[0]["subject_ids"]) == {rid, pid}

    dynamodb = cloud.client("dynamodb")
    audit_table = cloud.resources.audit_table_name
    index = dynamodb.query(
        TableName=audit_table,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": f"T#{world.tenant_id}#SUBJECT#{pid}"}},
    )["Items"]
    record = dynamodb.query(
        TableName=audit_table,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": f"T#{world.tenant_id}#AUDIT#{trail[0]['audit_id']}"}},
    )["Items"]
    assert [i["item_type"]["S"] for i in index] == ["audit_subject"]
    assert [i["item_type"]["S"] for i in record] == ["audit_record"]
    assert set(index[0]) == {
        "PK",
        "SK",
        "item_type",
        "tenant_id",
        "expires_at",
        "subject_id",
        "at",
        "audit_id",
        "action",
    }  # a pointer to the record, no copy of it
    now = datetime.now(UTC)
    for item in (*index, *record):
        assert email not in json.dumps(item)
        expiry = datetime.fromtimestamp(int(item["expires_at"]["N"]), tz=UTC)
        assert timedelta(days=3 * 365 - 5) < expiry - now < timedelta(days=3 * 365 + 5)
    mine = {"TableName": cloud.resources.table_name, "KeyConditionExpression": "PK = :pk"}
    old_layout = dynamodb.query(
        **mine, ExpressionAttributeValues={":pk": {"S": f"T#{world.tenant_id}#AUDIT#SUBJECT#{pid}"}}
    )["Items"]
    assert old_layout == []  # nothing of the audit trail is left in the single table
