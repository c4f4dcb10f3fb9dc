"""The contact re-qualification on demand: moto never fires the template's EventBridge Scheduler
schedules (nor can its CloudFormation create them), so this invokes ``RequalificationFunction`` with
the input a schedule gives (the template's ``RequalificationRequestSchedule`` or
``RequalificationFlagSchedule``), plus a simulated clock and optionally one tenant.

``python -m localcloud.requalify --pass request --now 2027-01-01T08:00:00Z [--tenant T]`` runs it in a
fresh local cloud (nothing to ask but what a test or the demo put there); ``run_pass(cloud, ...)``
runs it in a running one (the demo, the tests).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from localcloud.template import load_template

SCHEDULES = {"request": "RequalificationRequestSchedule", "flag": "RequalificationFlagSchedule"}


class PassFailed(RuntimeError):
    """The function raised."""


def schedule_input(pass_: str) -> dict[str, Any]:
    """What the template's schedule for ``pass_`` gives the function."""
    schedule = load_template()["Resources"][SCHEDULES[pass_]]
    return dict(json.loads(schedule["Properties"]["Target"]["Input"]))


def run_pass(cloud: Any, pass_: str, now: str, tenant_id: str | None = None) -> dict[str, Any]:
    """``pass_``: request, flag (their schedule's input) or enrol (run once, by hand)."""
    given = schedule_input(pass_) if pass_ in SCHEDULES else {"pass": pass_}
    payload = {**given, "now": now, **({"tenant_id": tenant_id} if tenant_id else {})}
    response = cloud.client("lambda").invoke(
        FunctionName=cloud.resources.functions["RequalificationFunction"],
        Payload=json.dumps(payload).encode(),
    )
    result = json.loads(response["Payload"].read() or b"{}")
    if response.get("FunctionError"):
        raise PassFailed(f"requalification {pass_}: {result}")
    return dict(result)


def main(argv: list[str] | None = None) -> int:
    from localcloud import LocalCloud

    parser = argparse.ArgumentParser(prog="python -m localcloud.requalify", description=__doc__)
    parser.add_argument("--pass", dest="pass_", choices=[*sorted(SCHEDULES), "enrol"], required=True)
    parser.add_argument("--now", required=True, help="the pass's clock, ISO 8601 UTC")
    parser.add_argument("--tenant", default=None)
    options = parser.parse_args(argv)
    with LocalCloud.start(gateway_port=0) as cloud:
        print(json.dumps(run_pass(cloud, options.pass_, options.now, options.tenant)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
