"""The start of a tenant's closure: its state machine, one execution per closure (named after it)."""

from __future__ import annotations

import json
import os

from salon.kernel import aws


def start(closure_id: str, tenant_id: str) -> None:
    """The closure's state machine, one execution per closure (named after it)."""
    aws.stepfunctions().start_execution(
        stateMachineArn=os.environ.get("CLOSURE_STATE_MACHINE_ARN", ""),
        name=closure_id,
        input=json.dumps({"tenant_id": tenant_id, "closure_id": closure_id}),
    )
