"""The closure workflow's erase step (one store per invocation, a Map of the state machine): everything
of the tenant in the store goes; the step's progress is in the closure record."""

from __future__ import annotations

from salon.dsar import deps
from salon.dsar.adapters import closure_erasers
from salon.dsar.adapters.closure_records import ClosureRecords
from salon.dsar.adapters.closure_stores import context, handler_for
from salon.dsar.services.closure_steps import tenant_of
from salon.kernel.stores import STORES


def erase(tenant_id: str, closure_id: str, store: str) -> dict[str, str]:
    records = ClosureRecords(deps.get().platform.table)
    closure = records.require(closure_id)
    closure_erasers.erase(handler_for(STORES[store]), context(), store, tenant_of(closure))
    records.update(closure_id, {"steps": {**closure["steps"], "erase": f"running: {store} erased"}})
    return {"store": store}
