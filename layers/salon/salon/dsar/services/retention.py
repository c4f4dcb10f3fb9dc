"""The daily retention sweep: each registry rule's retention applied by the platform, not left to the
DynamoDB TTL alone (the backstop). Events ended more than 36 months ago lose their personal data (every
item type whose retention runs from the event's end). Contractual records (an order, its payments,
refunds and invoices) are pseudonymised 5 years after the relationship's end (the registry's
``pseudonymise_after``) and kept, for the accounting 10 years. Each tenant swept gets a report the DPO
reads."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from salon.dsar import deps
from salon.dsar.adapters.retention_store import RetentionStore
from salon.dsar.domain.pseudonyms import pseudonym, pseudonymised
from salon.kernel.caller import Caller, require
from salon.kernel.principal import DATA_SUBJECT_REQUESTS
from salon.kernel.registry import EVENT_DATA, REGISTRY, expires_at, pseudonymise_on
from salon.kernel.values import iso, parse_iso

DAYS_PER_MONTH = 30.44  # as salon.kernel.registry.expires_at counts


def _store() -> RetentionStore:
    return RetentionStore(deps.get().platform.table)


def _now(now: str | None) -> datetime:
    return parse_iso(now) if now else deps.get().clock()


def due(now: str | None, tenant_id: str | None = None) -> dict[str, Any]:
    """The events whose data is due for removal and the orders whose records are due for
    pseudonymisation at ``now`` (default: the clock); every tenant's, or one tenant's (on demand)."""
    moment = _now(now)
    cutoff = moment - timedelta(days=round(EVENT_DATA.months * DAYS_PER_MONTH))
    events = [
        {"tenant_id": i["tenant_id"], "event_id": i["event_id"]}
        for i in _store().ended_by(iso(cutoff))
        if tenant_id is None or i["tenant_id"] == tenant_id
    ]
    contracts = [
        {"tenant_id": i["tenant_id"], "order_id": i["order_id"]}
        for i in _store().contracts_due_by(iso(moment))
        if tenant_id is None or i["tenant_id"] == tenant_id
    ]
    return {"now": iso(moment), "events": events, "contracts": contracts}


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


def _relationship_end(records: list[dict[str, Any]]) -> datetime:
    """The latest date of the order's records: placed, paid, ended, a payment, a refund, an invoice."""
    dates = ("placed_at", "paid_at", "ended_at", "created_at", "issued_at")
    return max(parse_iso(str(r[d])) for r in records for d in dates if r.get(d))


def pseudonymise_order(tenant_id: str, order_id: str, now: str) -> dict[str, Any]:
    """Pseudonymise the order's contractual records if 5 years have passed since the relationship's
    end, else move the order's due date on; counts per type (nothing twice)."""
    store = _store()
    records = [
        r for r in store.order_records(tenant_id, order_id) if r.get("item_type") != "contract_retention"
    ]
    done: Counter[str] = Counter()
    if not records:
        store.contract_done(tenant_id, order_id, now)
        return {"tenant_id": tenant_id, "order_id": order_id, "pseudonymised": {}}
    end = _relationship_end(records)
    due_on = pseudonymise_on("order", end)
    if due_on > parse_iso(now):
        store.contract_due_on(tenant_id, order_id, iso(due_on), expires_at("contract_retention", end))
        return {"tenant_id": tenant_id, "order_id": order_id, "pseudonymised": {}}
    alias = pseudonym(tenant_id, order_id)
    for record in records:
        spec = REGISTRY.get(str(record.get("item_type")))
        if spec is None or not spec.pseudonymised or "pseudonymised_at" in record:
            continue
        values = {a: pseudonymised(record[a], alias) for a in spec.pseudonymised if a in record}
        if store.pseudonymise(record, values, now):
            done[record["item_type"]] += 1
    store.contract_done(tenant_id, order_id, now)
    return {"tenant_id": tenant_id, "order_id": order_id, "pseudonymised": dict(done)}


def report(
    swept: list[dict[str, Any]], now: str, contracts: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """One report per tenant swept: its events, the items removed and the contractual records
    pseudonymised, per item type."""
    by_tenant: dict[str, list[dict[str, Any]]] = {}
    for event in swept:
        by_tenant.setdefault(event["tenant_id"], []).append(event)
    orders: dict[str, list[dict[str, Any]]] = {}
    for order in contracts or []:
        orders.setdefault(order["tenant_id"], []).append(order)
        by_tenant.setdefault(order["tenant_id"], [])
    store = _store()
    swept_at = iso(deps.get().clock())
    for tenant_id, events in by_tenant.items():
        removed: Counter[str] = Counter()
        for event in events:
            removed.update(event["removed"])
        pseudonymised_: Counter[str] = Counter()
        for order in orders.get(tenant_id, []):
            pseudonymised_.update(order["pseudonymised"])
        store.put_report(
            tenant_id,
            {
                "sweep_id": f"swp_{uuid.uuid4().hex}",
                "swept_at": swept_at,
                "now": now,
                "events": sorted(e["event_id"] for e in events),
                "removed": dict(removed),
                "contractual": {
                    "orders": sorted(o["order_id"] for o in orders.get(tenant_id, []) if o["pseudonymised"]),
                    "pseudonymised": dict(pseudonymised_),
                },
            },
        )
    return {"tenants": len(by_tenant), "events": len(swept), "orders": len(contracts or [])}


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
