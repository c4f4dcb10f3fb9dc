"""The retention sweep on demand: one execution of the template's RetentionSweepStateMachine with a
simulated clock (``--now``), optionally for one tenant, waited for; prints the tenants' reports.

``python -m localcloud.sweep --now 2030-01-01T00:00:00Z [--tenant T]`` runs it in a fresh local cloud
(nothing to sweep but what a test or the demo put there); ``run_sweep(cloud, now, tenant)`` runs it in
a running one (the demo, the tests).
"""

from __future__ import annotations

import argparse
import json
import time
import uuid
from typing import Any

POLL_TIMEOUT_S = 300


class SweepFailed(RuntimeError):
    """The sweep's execution did not succeed."""


def run_sweep(cloud: Any, now: str, tenant_id: str | None = None) -> dict[str, Any]:
    stepfunctions = cloud.client("stepfunctions")
    machine = next(
        m["stateMachineArn"]
        for m in stepfunctions.list_state_machines()["stateMachines"]
        if m["name"].endswith("-retention-sweep")
    )
    payload = {"now": now, **({"tenant_id": tenant_id} if tenant_id else {})}
    arn = stepfunctions.start_execution(
        stateMachineArn=machine, name=f"sweep-{uuid.uuid4().hex[:12]}", input=json.dumps(payload)
    )["executionArn"]
    deadline = time.monotonic() + POLL_TIMEOUT_S
    while True:
        execution = stepfunctions.describe_execution(executionArn=arn)
        if execution["status"] == "SUCCEEDED":
            return dict(json.loads(execution["output"]))
        if execution["status"] != "RUNNING" or time.monotonic() > deadline:
            raise SweepFailed(f"sweep {arn}: {execution['status']} {execution.get('cause', '')}")
        time.sleep(0.5)


def main(argv: list[str] | None = None) -> int:
    from localcloud import LocalCloud

    parser = argparse.ArgumentParser(prog="python -m localcloud.sweep", description=__doc__)
    parser.add_argument("--now", required=True, help="the sweep's clock, ISO 8601 UTC")
    parser.add_argument("--tenant", default=None)
    options = parser.parse_args(argv)
    with LocalCloud.start(gateway_port=0) as cloud:
        print(json.dumps(run_sweep(cloud, options.now, options.tenant)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
