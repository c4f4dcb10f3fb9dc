"""Recording the audit trail: every staff read and change of personal data leaves a record."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from salon.kernel import platform
from salon.kernel.audit_record import AuditAction, AuditRecord
from salon.kernel.caller import Caller


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
        at=platform.get().clock(),
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
    platform.get().audit.append(entry)
    return entry
