"""Tenant offboarding, its closure: the organiser confirms (their tenant id, typed again) after a
completed export of the last 7 days, or says ``without_export``; the request is audited and answers
202 with the due date (10 days); a state machine inventories, deletes and verifies every store of the
registry, then certifies. The closure is kept outside the tenant's data (it survives the deletion)."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel

from salon.dsar import deps
from salon.dsar.adapters.closure_records import STEPS, ClosureRecords
from salon.dsar.adapters.closure_start import start
from salon.dsar.adapters.tenant_exports import TenantExports
from salon.dsar.domain.closure import ClosureInput, check_confirmation, due_at, export_to_follow
from salon.kernel import audit
from salon.kernel.caller import Caller, require
from salon.kernel.errors import NotFound
from salon.kernel.principal import CONFIGURE
from salon.kernel.values import iso


class ClosureStarted(BaseModel):
    closure_id: str
    status: str
    due_at: str


class ClosureOut(BaseModel):
    closure_id: str
    status: str
    requested_at: str
    due_at: str
    export_id: str | None = None
    without_export: bool = False
    steps: dict[str, str] = {}
    stores: list[dict[str, Any]] = []
    completed_at: str | None = None
    certificate: dict[str, Any] | None = None
    failure: str | None = None


def _records() -> ClosureRecords:
    return ClosureRecords(deps.get().platform.table)


def close(caller: Caller, body: ClosureInput) -> ClosureStarted:
    principal = require(caller, CONFIGURE)
    tenant_id = principal.tenant_id
    check_confirmation(tenant_id, body)
    now = deps.get().clock()
    exports = TenantExports(deps.get().platform.table).of_tenant(tenant_id)
    export_id = export_to_follow(exports, body.without_export, now)
    closure_id = f"tcl_{uuid.uuid4().hex}"
    record: dict[str, Any] = {
        "closure_id": closure_id,
        "tenant_id": tenant_id,
        "status": "running",
        "requested_by": principal.sub,
        "requested_at": iso(now),
        "due_at": iso(due_at(now)),
        "request_id": caller.request_id,
        "without_export": export_id is None,
        "steps": {step: "pending" for step in STEPS},
    }
    if export_id:
        record["export_id"] = export_id
    if principal.email:  # the certificate is e-mailed to it: the organiser's accounts go with the tenant
        record["notify_email"] = principal.email
    entry = audit.entry(
        caller,
        role="organizer",
        action="tenant.close",
        subjects=[tenant_id],
        item_types=["tenant_closure"],
        fields=[],
        purpose="tenant offboarding: delete everything of the tenant",
    )
    _records().create(record, audit.puts(entry))
    try:
        start(closure_id, tenant_id)
    except Exception:
        _records().update(closure_id, {"status": "failed", "failure": "not started"})
        raise
    return ClosureStarted(closure_id=closure_id, status="running", due_at=record["due_at"])


def get(caller: Caller, closure_id: str) -> ClosureOut:
    principal = require(caller, CONFIGURE)
    found = _records().get(closure_id)
    if found is None or found.get("tenant_id") != principal.tenant_id:
        raise NotFound("no such closure")
    return ClosureOut.model_validate(found)
