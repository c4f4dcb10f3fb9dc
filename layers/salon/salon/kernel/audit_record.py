"""An audit record: who touched whose personal data, what, why, when."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

AuditAction = Literal[
    "registration.read",
    "registration.list",
    "registration.decide",
    "participant.deactivate",
    "meeting_request.list",
    "meeting_request.export",
    "meeting_request.send_on_behalf",
    "meeting_request.answer_on_behalf",
    "catalogue.search",
    "catalogue.read",
    "meeting.edit",
    "meeting.create",
    "meeting.list",
    "meeting.export",
    "meeting.table_sheets",
    "invoice.list",
    "invoice.export",
    "invoice.document",
    "dsar.export",
    "dsar.erase",
    "dsar.rectify",
    "order.read",
    "delivery.list",
    "tenant.close",
    "tombstone.lift",
]


class AuditRecord(BaseModel):
    model_config = ConfigDict(defer_build=True)

    audit_id: str
    at: datetime
    tenant_id: str
    actor_id: str
    actor_role: str
    action: AuditAction
    subject_ids: list[str]
    item_types: list[str]
    fields: list[str]
    purpose: str
    request_id: str
    count: int = 1


class AuditPage(BaseModel):
    """A page of the audit trail, newest first."""

    model_config = ConfigDict(defer_build=True)

    items: list[AuditRecord]
    next_cursor: str | None
