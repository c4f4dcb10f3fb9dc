"""A tenant's closure (offboarding), pure: the deliberate confirmation, the export it must follow, the
due date, and the certificate that states what left every store."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pydantic import Field

from salon.dsar.domain.findings import StoreCount, residue
from salon.kernel.errors import Conflict, FieldError, ValidationFailed
from salon.kernel.values import StrictModel, parse_iso

CLOSURE_DAYS = 10  # everything of the tenant is deleted within 10 days of the request
EXPORT_VALID_DAYS = 7  # an export's archive lives 7 days in the DSAR bucket (its lifecycle)


class ClosureInput(StrictModel):
    confirm: str = Field(
        default="", description="The caller's tenant id, typed again: closing deletes it all."
    )
    without_export: bool = Field(
        default=False,
        description="Close without a completed export of the last 7 days: the data is then not recoverable.",
    )


def check_confirmation(tenant_id: str, body: ClosureInput) -> None:
    if body.confirm != tenant_id:
        raise ValidationFailed(
            "the closure must be confirmed",
            errors=[FieldError("confirm", "must be your tenant id, typed again")],
        )


def due_at(requested_at: datetime) -> datetime:
    return requested_at + timedelta(days=CLOSURE_DAYS)


def export_to_follow(exports: list[dict[str, Any]], without_export: bool, now: datetime) -> str | None:
    """The completed export (newest first) the closure follows; refused while one runs, or when none
    of the last 7 days completed and the organiser did not say ``without_export``."""
    if any(e.get("status") == "running" for e in exports):
        raise Conflict("a tenant export is running: close the tenant once it has completed")
    for export in exports:
        done = export.get("completed_at")
        if (
            export.get("status") == "completed"
            and done
            and now - parse_iso(str(done)) < timedelta(days=EXPORT_VALID_DAYS)
        ):
            return str(export["export_id"])
    if without_export:
        return None
    raise Conflict(
        "export the tenant first (POST /tenant/export) and download its archive, or close with "
        '"without_export": true to acknowledge that the data cannot be recovered'
    )


class ResidueFound(RuntimeError):
    """The verification found data of the closed tenant left where everything must go."""


def verify(counts: list[StoreCount]) -> None:
    left = residue(counts)
    if left:
        raise ResidueFound(", ".join(f"{r.target}: {r.count}" for r in left))


def certificate(closure: dict[str, Any], counts: list[StoreCount], completed_at: str) -> dict[str, Any]:
    """What was deleted where (counts before and after), when, at whose request (ids only), by when."""
    return {
        "closure_id": closure["closure_id"],
        "tenant_id": closure["tenant_id"],
        "requested_by": closure["requested_by"],
        "requested_at": closure["requested_at"],
        "due_at": closure["due_at"],
        "completed_at": completed_at,
        "due_date_met": parse_iso(completed_at) <= parse_iso(str(closure["due_at"])),
        "export_id": closure.get("export_id"),
        "statement": "every item, document, account and index of the tenant was deleted; the stores "
        "that keep ids only for a fixed time say when they expire",
        "stores": [c.model_dump(mode="json") for c in counts],
        "deleted": sum(c.before or 0 for c in counts if c.after == 0),
        "residue": 0,
    }


def certificate_text(proof: dict[str, Any]) -> tuple[str, str]:
    """The subject and plain text of the certificate's e-mail (ids and counts only)."""
    deleted = [s for s in proof["stores"] if s["before"]]
    lines = [
        f"Tenant {proof['tenant_id']} was closed at the request of {proof['requested_by']} "
        f"({proof['requested_at']}).",
        f"Certified {proof['completed_at']}; due {proof['due_at']} (met: {proof['due_date_met']}).",
        f"{proof['deleted']} items, documents and accounts deleted; residue {proof['residue']}.",
        "",
        *(f"  {s['target']}: {s['before']} before, {s['after']} after" for s in deleted),
        "",
        proof["statement"] + ".",
        f"Closure {proof['closure_id']}: Salon keeps this certificate (ids and counts only) for 5 years.",
    ]
    return f"Salon: tenant {proof['tenant_id']} closed, certificate {proof['closure_id']}", "\n".join(lines)
