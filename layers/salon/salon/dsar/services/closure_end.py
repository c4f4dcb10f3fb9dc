"""The closure workflow's certify step (invoked by the state machine with ``{"tenant_id",
"closure_id"}``) once verified: the certificate as JSON and PDF outside every tenant's prefix and in
the closure record, which survives the tenant, e-mailed to the organiser who asked (whose accounts
went with the tenant); the address then leaves the record. ``closure_fail`` records a failure."""

from __future__ import annotations

import html
import json
from typing import Any

from salon.dsar import deps
from salon.dsar.adapters import closure_certificate_pdf
from salon.dsar.adapters.closure_records import ClosureRecords
from salon.dsar.adapters.documents import documents
from salon.dsar.domain.closure import certificate, certificate_text
from salon.dsar.domain.findings import StoreCount
from salon.kernel.values import iso
from salon.notify.adapters.email_sender import Envelope, mailer
from salon.notify.domain.render import RenderedEmail


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
    if closure.get("notify_email"):
        _send(str(closure["notify_email"]), proof)
        _records().update(
            closure_id, {"certificate_sent_at": iso(deps.get().clock())}, remove=("notify_email",)
        )
    return {"closure_id": closure_id, "deleted": proof["deleted"], "due_date_met": proof["due_date_met"]}


def _send(to: str, proof: dict[str, Any]) -> None:
    subject, text = certificate_text(proof)
    sender = deps.get().platform.settings.notify_sender
    envelope = Envelope(sender=sender, sender_name="Salon", to=to, kind="tenant_closure_certificate")
    rendered = RenderedEmail(subject=subject, text=text, html=f"<pre>{html.escape(text)}</pre>")
    mailer.get().send(
        envelope, rendered, {"tenant_id": proof["tenant_id"], "closure_id": proof["closure_id"]}
    )
