"""Recording and reading the audit trail."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from salon.domain.audit import AuditAction, AuditRecord
from salon.domain.common import Page
from salon.domain.principal import AUDIT
from salon.errors import FieldError, ValidationFailed
from salon.services import deps
from salon.services.access import require
from salon.services.context import Caller


def record(
    caller: Caller,
    *,
    role: str,
    action: AuditAction,
    subjects: Iterable[str],
    item_types: Iterable[str],
    fields: Iterable[str],
    purpose: str,
    count: int = 1,
) -> AuditRecord:
    """Append one record; raises if it cannot be written (no unaudited access)."""
    principal = caller.principal
    if principal is None:
        raise RuntimeError("audited operations need a principal")
    entry = AuditRecord(
        audit_id=f"aud_{uuid.uuid4().hex}",
        at=deps.get().clock(),
        tenant_id=principal.tenant_id,
        actor_id=principal.sub,
        actor_role=role,
        action=action,
        subject_ids=list(dict.fromkeys(subjects)),
        item_types=sorted(set(item_types)),
        fields=sorted(set(fields)),
        purpose=purpose,
        request_id=caller.request_id,
        count=count,
    )
    deps.get().audit.append(entry)
    return entry


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
) -> dict[str, Any]:
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
    repo = deps.get().audit
    if subject_id:
        records, cursor = repo.by_subject(
            principal.tenant_id, subject_id, start, end, page.limit, page.cursor
        )
    else:
        records, cursor = repo.by_actor(
            principal.tenant_id, str(actor_id), start, end, page.limit, page.cursor
        )
    return {"items": [r.model_dump(mode="json") for r in records], "next_cursor": cursor}
