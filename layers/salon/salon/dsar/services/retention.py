"""The daily retention sweep: each registry rule's retention applied by the platform, not left to the
DynamoDB TTL alone (the backstop). Events ended more than 36 months ago lose their personal data (every
item type whose retention runs from the event's end); each tenant swept gets a report the DPO reads.
Contractual records (5 years from the end of the relationship) have no item type yet: the report
says how many such types the registry declares."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from salon.dsar import deps
from salon.dsar.adapters.retention_store import RetentionStore
from salon.kernel.caller import Caller, require
from salon.kernel.principal import DATA_SUBJECT_REQUESTS
from salon.kernel.registry import EVENT_DATA, REGISTRY
from salon.kernel.values import iso, parse_iso

DAYS_PER_MONTH = 30.44  # as salon.kernel.registry.expires_at counts


def _store() -> RetentionStore:
    return RetentionStore(deps.get().platform.table)


def _now(now: str | None) -> datetime:
    return parse_iso(now) if now else deps.get().clock()


def due(now: str | None, tenant_id: str | None = None) -> dict[str, Any]:
    """The events whose data is due for removal at ``now`` (default: the clock); every tenant's,
    or one tenant's (a sweep on demand)."""
    moment = _now(now)
    cutoff = moment - timedelta(days=round(EVENT_DATA.months * DAYS_PER_MONTH))
    events = [
        {"tenant_id": i["tenant_id"], "event_id": i["event_id"]}
        for i in _store().ended_by(iso(cutoff))
        if tenant_id is None or i["tenant_id"] == tenant_id
    ]
    return {"now": iso(moment), "events": events}


def _expires_with_the_event(item: dict[str, Any]) -> bool:
    """Items created by an update (markers, counters) carry no ``item_type``: none holds personal data,
    and what cannot be classified is kept."""
    spec = REGISTRY.get(str(item.get("item_type")))
    return spec is not None and spec.retention is not None and spec.retention.anchor == "event_end"


def sweep_event(tenant_id: str, event_id: str, now: str) -> dict[str, Any]:
    """Remove every item of the event whose retention runs from the event's end; counts per type."""
    store = _store()
    removed: Counter[str] = Counter()
    for item in store.event_items(tenant_id, event_id):
        if _expires_with_the_event(item):
            store.delete(item)
            removed[item["item_type"]] += 1
    store.swept(tenant_id, event_id, now)
    return {"tenant_id": tenant_id, "event_id": event_id, "removed": dict(removed)}


def report(swept: list[dict[str, Any]], now: str) -> dict[str, Any]:
    """One report per tenant swept: its events and the items removed per item type."""
    by_tenant: dict[str, list[dict[str, Any]]] = {}
    for event in swept:
        by_tenant.setdefault(event["tenant_id"], []).append(event)
    contractual = sorted(
        t for t, s in REGISTRY.items() if s.retention and s.retention.anchor == "relationship_end"
    )
    store = _store()
    swept_at = iso(deps.get().clock())
    for tenant_id, events in by_tenant.items():
        removed: Counter[str] = Counter()
        for event in events:
            removed.update(event["removed"])
        store.put_report(
            tenant_id,
            {
                "sweep_id": f"swp_{uuid.uuid4().hex}",
                "swept_at": swept_at,
                "now": now,
                "events": sorted(e["event_id"] for e in events),
                "removed": dict(removed),
                "contractual": {"item_types": contractual, "pseudonymised": 0},
            },
        )
    return {"tenants": len(by_tenant), "events": len(swept)}


class ReportOut(BaseModel):
    model_config = ConfigDict(extra="ignore")

    sweep_id: str
    swept_at: str
    now: str
    events: list[str]
    removed: dict[str, int]
    contractual: dict[str, Any]


class ReportsQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(default=20, ge=1, le=100)


class ReportsPage(BaseModel):
    items: list[ReportOut]


def reports(caller: Caller, query: ReportsQuery) -> ReportsPage:
    """The tenant's sweep reports, newest first (the DPO's)."""
    principal = require(caller, DATA_SUBJECT_REQUESTS)
    items = _store().reports(principal.tenant_id, query.limit)
    return ReportsPage(items=[ReportOut.model_validate(i) for i in items])
