"""A tenant's closure records, outside the tenant's partitions (they survive the deletion): the
closure, and the tenant's lock that refuses a second one. Created in one transaction with the audit
record of the request; the workflow runs as an execution named after the closure."""

from __future__ import annotations

import json
import os
from typing import Any

from salon.kernel import aws, keys
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


def start(closure_id: str, tenant_id: str) -> None:
    """The closure's state machine, one execution per closure (named after it)."""
    aws.stepfunctions().start_execution(
        stateMachineArn=os.environ.get("CLOSURE_STATE_MACHINE_ARN", ""),
        name=closure_id,
        input=json.dumps({"tenant_id": tenant_id, "closure_id": closure_id}),
    )
