"""Recording the audit trail: every staff read and change of personal data leaves a record.

A change adds ``puts(entry(...))`` to its own transaction, so the change and its record are written
together or not at all. A read calls ``record(...)`` before its response leaves: no record, no data.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from botocore.exceptions import BotoCoreError, ClientError

from salon.kernel import platform
from salon.kernel.audit_record import AuditAction, AuditRecord
from salon.kernel.audit_store import MAX_TRANSACTION
from salon.kernel.caller import Caller
from salon.kernel.dynamo import ConditionFailed, Put, TransactionCancelled
from salon.kernel.errors import DependencyUnavailable

# A change's transaction holds its own writes (a few) besides the record and one item per subject.
MAX_SUBJECTS_OF_A_CHANGE = MAX_TRANSACTION - 10


def entry(
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
    """A new record of the caller's access (not yet written)."""
    principal = caller.principal
    if principal is None:
        raise RuntimeError("audited operations need a principal")
    return AuditRecord(
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


def puts(record: AuditRecord) -> list[Put]:
    """The writes of ``record``, to add to the transaction of the change it records."""
    if len(record.subject_ids) > MAX_SUBJECTS_OF_A_CHANGE:
        raise ValueError(f"a change audits at most {MAX_SUBJECTS_OF_A_CHANGE} subjects in one transaction")
    return platform.get().audit.puts(record)


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
    """Write the record of a read now; 503 if it cannot be written (no unaudited access)."""
    written = entry(
        caller,
        role=role,
        action=action,
        subjects=subjects,
        item_types=item_types,
        fields=fields,
        purpose=purpose,
        count=count,
    )
    try:
        platform.get().audit.append(written)
    except (BotoCoreError, ClientError, TransactionCancelled, ConditionFailed) as exc:
        raise DependencyUnavailable("the access could not be recorded in the audit trail; retry") from exc
    return written
