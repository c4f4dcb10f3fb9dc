"""Reading the audit trail (the DPO's view: who consulted whom, when, why)."""

from __future__ import annotations

from datetime import UTC, datetime

from salon.kernel import platform
from salon.kernel.audit_record import AuditPage
from salon.kernel.caller import Caller, require
from salon.kernel.errors import FieldError, ValidationFailed
from salon.kernel.principal import AUDIT
from salon.kernel.values import Page


def _aware(moment: datetime | None) -> datetime | None:
    """Naive instants are read as UTC."""
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def query(
    caller: Caller,
    *,
    subject_id: str | None,
    actor_id: str | None,
    start: datetime | None,
    end: datetime | None,
    page: Page,
) -> AuditPage:
    principal = require(caller, AUDIT)
    start, end = _aware(start), _aware(end)
    if bool(subject_id) == bool(actor_id):
        raise ValidationFailed(
            "give exactly one of subject_id or actor_id",
            errors=[FieldError("subject_id", "give exactly one of subject_id or actor_id")],
        )
    if start and end and end < start:
        raise ValidationFailed(
            "'to' is before 'from'", errors=[FieldError("to", "must not be before 'from'")]
        )
    repo = platform.get().audit
    if subject_id:
        records, cursor = repo.by_subject(
            principal.tenant_id, subject_id, start, end, page.limit, page.cursor
        )
    else:
        records, cursor = repo.by_actor(
            principal.tenant_id, str(actor_id), start, end, page.limit, page.cursor
        )
    return AuditPage(items=records, next_cursor=cursor)
