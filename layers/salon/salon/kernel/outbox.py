"""The transactional outbox: a change and the domain event announcing it are written in one transaction.

A service adds `event_put(...)` to the transaction that stores its change. The table's stream carries
the new outbox item to the relay (`functions/outbox`), which publishes it to EventBridge
(`salon.kernel.relay`); a record the bus refuses is retried by the stream's event source mapping. So
a stored change is announced even if EventBridge is down when it is made, and a change that is not
stored announces nothing.

Exactly once, from the client's point of view: the outbox item is keyed by a dedupe id derived from
the change (`dedupe_id`), so replaying a change overwrites its outbox item (a stream MODIFY, which the
relay's filter ignores) instead of adding a second event. The relay itself is at least once (a
retried batch may publish a record again): every event carries its ``dedupe_id`` and consumers drop
what they have already seen (`salon.kernel.consumer`).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from salon.kernel import keys
from salon.kernel.domain_events import SOURCE, EventDetail
from salon.kernel.dynamo import Put
from salon.kernel.registry import expires_at
from salon.kernel.values import iso

_NAMESPACE = uuid.UUID("6f1d8a52-3c47-4e0b-9a16-2b7f0c9e5d83")


def dedupe_id(tenant_id: str, aggregate_id: str, change: str) -> str:
    """The same change of the same aggregate always gets the same id (e.g. ``change="v2:validated"``)."""
    return str(uuid.uuid5(_NAMESPACE, f"{tenant_id}:{aggregate_id}:{change}"))


def event_put(detail_type: str, detail: EventDetail, at: datetime, source: str = SOURCE) -> Put:
    """The outbox item announcing a change, to add to the transaction that stores the change.

    Unconditional on purpose: if the same change is written again, the item is overwritten (MODIFY),
    which the relay does not publish.
    """
    return Put(
        {
            "PK": keys.outbox_pk(detail.tenant_id, detail.dedupe_id),
            "SK": keys.OUTBOX_SK,
            "item_type": "outbox",
            "tenant_id": detail.tenant_id,
            "dedupe_id": detail.dedupe_id,
            "source": source,
            "detail_type": detail_type,
            "detail": detail.model_dump(mode="json", exclude_none=True),
            "created_at": iso(at),
            "expires_at": expires_at("outbox", at),
        }
    )
