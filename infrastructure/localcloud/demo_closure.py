"""The demo's closing chapter: tenant B's organiser exports the tenant, then closes it; the closure's
state machine deletes it in every store of the registry and certifies. Tenant A is checked unchanged
(its items in the table and the audit trail, counted before and after). The report carries ids,
store names and counts only."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from localcloud.api_client import ApiClient, Json

POLL_TIMEOUT_S = 300


class ClosureDidNotFinish(RuntimeError):
    """The tenant's export or closure failed or did not end in time."""


@dataclass
class ClosureReport:
    tenant_id: str = ""
    closure: Json = field(default_factory=dict)
    seconds: float = 0.0
    others_before: int = 0
    others_after: int = 0


def tenant_items(cloud: Any, tenant_id: str) -> int:
    """Every item of a tenant in the table and the audit trail (a scan on the tenant's keys)."""
    dynamodb, found = cloud.client("dynamodb"), 0
    for table in (cloud.resources.table_name, cloud.resources.audit_table_name):
        kwargs: dict[str, Any] = {
            "TableName": table,
            "FilterExpression": "begins_with(PK, :tenant)",
            "ExpressionAttributeValues": {":tenant": {"S": f"T#{tenant_id}#"}},
            "Select": "COUNT",
        }
        while True:
            page = dynamodb.scan(**kwargs)
            found += int(page["Count"])
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    return found


def _wait(organizer: ApiClient, path: str) -> Json:
    deadline = time.monotonic() + POLL_TIMEOUT_S
    while True:
        found = organizer.get(path)
        if found["status"] == "completed":
            return found
        if found["status"] == "failed" or time.monotonic() > deadline:
            raise ClosureDidNotFinish(f"{path}: {found['status']} {found.get('failure') or ''}")
        time.sleep(0.5)


def close_tenant(organizer_b: ApiClient, tenant_b: str, count_others: Any) -> ClosureReport:
    """Tenant B's small event, its export, its closure; ``count_others()`` counts tenant A's data."""
    report = ClosureReport(tenant_id=tenant_b, others_before=count_others())
    starts = datetime.now(UTC) + timedelta(days=60)
    organizer_b.post(
        "/events",
        {
            "name": {"fr": "Rencontres BZH"},
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(days=1)).isoformat(),
            "time_zone": "Europe/Paris",
        },
    )
    started = time.perf_counter()
    export = organizer_b.post("/tenant/export", expected=(202,))
    _wait(organizer_b, f"/tenant/exports/{export['export_id']}")
    closing = organizer_b.post("/tenant/close", {"confirm": tenant_b}, expected=(202,))
    report.closure = _wait(organizer_b, f"/tenant/closures/{closing['closure_id']}")
    report.seconds = time.perf_counter() - started
    report.others_after = count_others()
    if report.others_after != report.others_before:
        raise ClosureDidNotFinish("closing tenant B changed tenant A's items")
    return report


def format_closure(report: ClosureReport) -> list[str]:
    closure = report.closure
    certificate = closure["certificate"]
    deleted = [s for s in certificate["stores"] if s["before"]]
    kept = sum(1 for s in certificate["stores"] if s["before"] is None)
    return [
        f"Tenant B closed (POST /tenant/close after its export {closure['export_id']}), closure "
        f"{closure['closure_id']}, {report.seconds:.1f} s:",
        f"  requested {certificate['requested_at']}, due {certificate['due_at'][:10]}, certified "
        f"{certificate['completed_at']} (due date met: {certificate['due_date_met']}), "
        f"{certificate['deleted']} items, objects and accounts deleted, residue {certificate['residue']}",
        f"    {'store':<34} before after",
        *(f"    {s['target']:<34} {s['before']:>6} {s['after']:>5}" for s in deleted),
        f"    {kept} other stores keep ids only for a fixed time, or nothing personal (said per store)",
        f"  tenant A's items (table and audit trail): {report.others_before} before, "
        f"{report.others_after} after",
        "",
    ]
