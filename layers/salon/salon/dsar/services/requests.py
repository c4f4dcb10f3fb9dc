"""The DPO's data-subject requests: submit one (the workflow starts and waits for the identity
check), verify or reject it, read it, list them. Always within the DPO's own tenant."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from salon.dsar import deps
from salon.dsar.adapters.links import link
from salon.dsar.adapters.workflow import workflow
from salon.dsar.domain.findings import StoreCount
from salon.dsar.domain.requests import ENDED, STEPS, DsarInput, Kind, VerifyInput, due_at, overdue_soon
from salon.kernel.caller import Caller, require
from salon.kernel.errors import FieldError, NotFound, ValidationFailed
from salon.kernel.person_key import person_key
from salon.kernel.principal import DATA_SUBJECT_REQUESTS
from salon.kernel.values import Locale, iso, parse_iso


class DsarCreated(BaseModel):
    dsar_id: str
    due_at: str
    status: str


class DsarOut(BaseModel):
    model_config = ConfigDict(extra="ignore")

    dsar_id: str
    kind: Kind
    status: str
    received_at: str
    due_at: str
    close_to_due: bool
    events: list[str] | None = None
    note: str = ""
    locale: Locale | None = None
    steps: dict[str, str]
    verification: dict[str, Any] | None = None
    stores: list[StoreCount] = []
    export_url: str | None = None
    certificate: dict[str, Any] | None = None
    certificate_pdf_url: str | None = None
    failure: str | None = None
    completed_at: str | None = None


class DsarQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: str | None = Field(default=None, max_length=32)
    overdue: bool = Field(default=False, description="only running requests close to or past their due date")
    limit: int = Field(default=50, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=2000)


class DsarPage(BaseModel):
    items: list[DsarOut]
    next_cursor: str | None


def _check(body: DsarInput) -> None:
    if body.kind is Kind.RECTIFICATION and not (body.corrections and body.corrections.model_fields_set):
        raise ValidationFailed(
            "a rectification says what to correct",
            errors=[FieldError("corrections", "required for a rectification")],
        )
    if body.kind is not Kind.RECTIFICATION and body.corrections is not None:
        raise ValidationFailed(
            "only a rectification carries corrections",
            errors=[FieldError("corrections", "only for a rectification")],
        )


def submit(caller: Caller, body: DsarInput) -> DsarCreated:
    principal = require(caller, DATA_SUBJECT_REQUESTS)
    _check(body)
    t = principal.tenant_id
    d = deps.get()
    received = d.clock()
    dsar_id = f"dsar_{uuid.uuid4().hex}"
    due = iso(due_at(body.kind, received))
    request: dict[str, Any] = {
        "dsar_id": dsar_id,
        "tenant_id": t,
        "kind": body.kind.value,
        "email": str(body.email),
        "person_key": person_key(t, str(body.email)),
        "note": body.note,
        "status": "received",
        "received_at": iso(received),
        "due_at": due,
        "steps": {step: "pending" for step in STEPS},
        "requested_by": principal.sub,
        "created_at": iso(received),
        "updated_at": iso(received),
    }
    if body.events:
        request["events"] = body.events
    if body.locale:
        request["locale"] = body.locale
    if body.corrections is not None:
        request["corrections"] = body.corrections.model_dump(exclude_unset=True)
    d.requests.create(request)
    try:
        workflow().start(dsar_id, {"tenant_id": t, "dsar_id": dsar_id})
    except Exception:
        d.requests.end(
            t, dsar_id, request["person_key"], request["kind"], {"status": "failed", "failure": "not started"}
        )
        raise
    return DsarCreated(dsar_id=dsar_id, due_at=due, status="received")


def verify(caller: Caller, dsar_id: str, body: VerifyInput) -> DsarOut:
    """The DPO's identity check resumes the workflow; a rejection ends the request with its reason."""
    principal = require(caller, DATA_SUBJECT_REQUESTS)
    t = principal.tenant_id
    d = deps.get()
    request = _request(t, dsar_id)
    if not body.verified and not body.reason:
        raise ValidationFailed(
            "a rejection says why", errors=[FieldError("reason", "required when not verified")]
        )
    at = iso(d.clock())
    verification = {"verified": body.verified, "method": body.method, "reason": body.reason, "at": at}
    steps = {**request["steps"], "verify": "done" if body.verified else "failed"}
    status = "running" if body.verified else "rejected"
    token = d.requests.take_token(
        t,
        dsar_id,
        {
            "verification": verification,
            "verified_by": principal.sub,
            "steps": steps,
            "status": status,
            "updated_at": at,
        },
    )
    if body.verified:
        workflow().resume(token, {"verified": True})
    else:
        d.requests.end(t, dsar_id, request["person_key"], request["kind"], {"completed_at": at})
        workflow().reject(token, "the DPO rejected the request")
    return _out(_request(t, dsar_id), d.clock())


def _request(tenant_id: str, dsar_id: str) -> dict[str, Any]:
    found = deps.get().requests.get(tenant_id, dsar_id)
    if found is None:
        raise NotFound("no such data-subject request")
    return found


def _out(request: dict[str, Any], now: Any) -> DsarOut:
    certificate = request.get("certificate")
    return DsarOut.model_validate(
        {
            **request,
            "close_to_due": request["status"] not in ENDED
            and overdue_soon(parse_iso(request["due_at"]), now),
            "export_url": link(request["export_key"]) if request.get("export_key") else None,
            "certificate_pdf_url": link(certificate["pdf_key"]) if certificate else None,
        }
    )


def get(caller: Caller, dsar_id: str) -> DsarOut:
    principal = require(caller, DATA_SUBJECT_REQUESTS)
    return _out(_request(principal.tenant_id, dsar_id), deps.get().clock())


def list_requests(caller: Caller, query: DsarQuery) -> DsarPage:
    """Newest first; ``status`` and ``overdue`` filter the page (a page may hold fewer items)."""
    principal = require(caller, DATA_SUBJECT_REQUESTS)
    d = deps.get()
    now = d.clock()
    items, cursor = d.requests.page(principal.tenant_id, query.limit, query.cursor)
    out = [_out(i, now) for i in items]
    if query.status:
        out = [o for o in out if o.status == query.status]
    if query.overdue:
        out = [o for o in out if o.close_to_due]
    return DsarPage(items=out, next_cursor=cursor)
