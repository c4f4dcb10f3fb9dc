"""The closure workflow's last steps (one Lambda function each, invoked by the state machine with
``{"tenant_id", "closure_id"}``): certify once verified (JSON and PDF outside every tenant's prefix, the
certificate in the closure record, which survives the tenant), or fail, which records why."""

from __future__ import annotations

import json
from typing import Any

from salon.dsar import deps
from salon.dsar.adapters import closure_certificate_pdf
from salon.dsar.adapters.closure_records import ClosureRecords
from salon.dsar.adapters.documents import documents
from salon.dsar.domain.closure import certificate
from salon.dsar.domain.findings import StoreCount
from salon.kernel.values import iso


def _records() -> ClosureRecords:
    return ClosureRecords(deps.get().platform.table)


def certify(tenant_id: str, closure_id: str) -> dict[str, Any]:
    closure = _records().require(closure_id)
    at = iso(deps.get().clock())
    proof = certificate(closure, [StoreCount.model_validate(c) for c in closure["stores"]], at)
    prefix = f"closures/{closure_id}/"  # outside every tenant's prefix
    docs = documents()
    docs.put(f"{prefix}certificate.json", json.dumps(proof, indent=1).encode(), "application/json")
    docs.put(f"{prefix}certificate.pdf", closure_certificate_pdf.render(proof), "application/pdf")
    _records().update(
        closure_id,
        {
            "status": "completed",
            "certificate": {**proof, "pdf_key": f"{prefix}certificate.pdf"},
            "completed_at": at,
            "steps": {**closure["steps"], "certify": "done"},
        },
    )
    return {"closure_id": closure_id, "deleted": proof["deleted"], "due_date_met": proof["due_date_met"]}


def fail(tenant_id: str, closure_id: str, error: str, message: str) -> None:
    closure = _records().require(closure_id)
    steps = dict(closure["steps"])
    stopped = next((step for step, state in steps.items() if state != "done"), None)
    if stopped:
        steps[stopped] = "failed"
    failure = f"{error}: {message}" if message else error
    _records().update(closure_id, {"status": "failed", "failure": failure, "steps": steps})
