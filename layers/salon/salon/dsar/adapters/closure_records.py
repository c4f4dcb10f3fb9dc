"""A tenant's closure records, outside the tenant's partitions (they survive the deletion): the
closure, and the tenant's lock that refuses a second one. Created in one transaction with the audit
record of the request."""

from __future__ import annotations

from typing import Any

from salon.kernel import keys
from salon.kernel.dynamo import ConditionFailed, Item, Put, Table, TransactionCancelled, Update
from salon.kernel.errors import Conflict

STEPS = ("inventory", "erase", "verify", "certify")


class ClosureRecords:
    def __init__(self, table: Table) -> None:
        self.table = table

    def create(self, record: dict[str, Any], audit: list[Put]) -> None:
        tenant_id, closure_id = record["tenant_id"], record["closure_id"]
        lock = {
            "PK": keys.closure_lock_pk(tenant_id),
            "SK": keys.CLOSURE_LOCK_SK,
            "item_type": "tenant_closure_lock",
            "tenant_id": tenant_id,
            "closure_id": closure_id,
        }
        closure = {"PK": keys.closure_pk(closure_id), "SK": keys.CLOSURE_SK, "item_type": "tenant_closure"}
        try:
            self.table.transact(
                [
                    Put(lock, condition="attribute_not_exists(PK)"),
                    Put({**closure, **record}),
                    *audit,
                ]
            )
        except (TransactionCancelled, ConditionFailed) as error:
            raise Conflict("the tenant is already being closed (or closed)") from error

    def closing(self, tenant_id: str) -> bool:
        """Whether the tenant is being closed, or was."""
        return self.table.get(keys.closure_lock_pk(tenant_id), keys.CLOSURE_LOCK_SK) is not None

    def get(self, closure_id: str) -> Item | None:
        return self.table.get(keys.closure_pk(closure_id), keys.CLOSURE_SK)

    def require(self, closure_id: str) -> Item:
        found = self.get(closure_id)
        if found is None:
            raise LookupError(f"no closure {closure_id}")
        return found

    def update(self, closure_id: str, values: dict[str, Any], remove: tuple[str, ...] = ()) -> None:
        key = {"PK": keys.closure_pk(closure_id), "SK": keys.CLOSURE_SK}
        self.table.update(Update(key, "tenant_closure", set=values, remove=remove))
