"""The closure workflow's counting steps (one Lambda function each, invoked by the state machine with
``{"tenant_id", "closure_id"}``): inventory every store of the registry, and verify once erased
(``closure_erase``, one store per invocation) that nothing of the tenant is left. ``closure_end``
certifies, ``closure_fail`` records a failure."""

from __future__ import annotations

from typing import Any

from salon.dsar import deps
from salon.dsar.adapters.closure_records import ClosureRecords
from salon.dsar.adapters.closure_stores import Tenant, context, handler_for, searched_stores
from salon.dsar.adapters.tenant_exports import TenantExports
from salon.dsar.domain.closure import verify
from salon.dsar.domain.findings import StoreCount
from salon.kernel.stores import STORES
from salon.registration.adapters.events_repo import EventsRepository


def _records() -> ClosureRecords:
    return ClosureRecords(deps.get().platform.table)


def _steps(closure: dict[str, Any], step: str, state: str) -> dict[str, str]:
    return {**closure.get("steps", {}), step: state}


def tenant_of(closure: dict[str, Any]) -> Tenant:
    events = {e: tuple(types) for e, types in (closure.get("events") or {}).items()}
    return Tenant(str(closure["tenant_id"]), events)


def _events(tenant_id: str) -> dict[str, list[str]]:
    table = deps.get().platform.table
    repo = EventsRepository(table)
    return {
        event_id: [t.code for t in repo.list_types(tenant_id, event_id)]
        for event_id in TenantExports(table).event_ids(tenant_id)
    }


def inventory(tenant_id: str, closure_id: str) -> dict[str, Any]:
    """Count what every store holds of the tenant; the stores to erase, for the Map."""
    closure = _records().require(closure_id)
    events = _events(tenant_id)
    tenant, ctx = Tenant(tenant_id, {e: tuple(t) for e, t in events.items()}), context()
    counts = [handler_for(s).tally(ctx, s.logical_id, tenant) for s in STORES.values()]
    _records().update(
        closure_id,
        {
            "events": events,
            "stores": [c.model_dump(mode="json") for c in counts],
            "steps": _steps(closure, "inventory", "done"),
        },
    )
    return {"tenant_id": tenant_id, "closure_id": closure_id, "stores": searched_stores()}


def check(tenant_id: str, closure_id: str) -> None:
    """Count again: a store the closure deletes in must hold nothing of the tenant (a residue fails)."""
    closure = _records().require(closure_id)
    tenant, ctx = tenant_of(closure), context()
    counts = []
    for found in closure["stores"]:
        before = StoreCount.model_validate(found)
        after = handler_for(STORES[before.target]).count(ctx, before.target, tenant)
        counts.append(before.model_copy(update={"after": after}))
    steps = _steps(closure, "erase", "done")
    _records().update(closure_id, {"stores": [c.model_dump(mode="json") for c in counts], "steps": steps})
    verify(counts)  # a residue stops here: the fail step marks the verification failed
    _records().update(closure_id, {"steps": {**steps, "verify": "done"}})
