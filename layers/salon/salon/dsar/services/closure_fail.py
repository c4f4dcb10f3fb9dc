"""The closure workflow's fail step (invoked by the state machine with the caught error): the closure
records why, and at which step it stopped."""

from __future__ import annotations

from salon.dsar import deps
from salon.dsar.adapters.closure_records import ClosureRecords


def fail(tenant_id: str, closure_id: str, error: str, message: str) -> None:
    records = ClosureRecords(deps.get().platform.table)
    closure = records.require(closure_id)
    steps = dict(closure["steps"])
    stopped = next((step for step, state in steps.items() if state != "done"), None)
    if stopped:
        steps[stopped] = "failed"
    failure = f"{error}: {message}" if message else error
    records.update(closure_id, {"status": "failed", "failure": failure, "steps": steps})
