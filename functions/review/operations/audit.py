"""Staff and DPOs read the audit trail."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field
from salon.kernel.audit_record import AuditPage
from salon.kernel.caller import Caller
from salon.kernel.http import Router
from salon.kernel.routes import REGISTRATION_REVIEW
from salon.kernel.values import PageQuery
from salon.privacy.services import audit_trail

router = Router(REGISTRATION_REVIEW)


class AuditQuery(PageQuery):
    subject_id: str | None = Field(default=None, max_length=64)
    actor_id: str | None = Field(default=None, max_length=64)
    from_: datetime | None = Field(default=None, alias="from")
    to: datetime | None = None


@router.route("GET /audit", response=AuditPage, query=AuditQuery)
def read_audit(caller: Caller, query: AuditQuery) -> AuditPage:
    return audit_trail.query(
        caller,
        subject_id=query.subject_id,
        actor_id=query.actor_id,
        start=query.from_,
        end=query.to,
        page=query.page(),
    )
