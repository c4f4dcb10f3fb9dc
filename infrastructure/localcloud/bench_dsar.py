"""Benchmark of an erasure in a large tenant: events full of companies (a sheet, a participant, a
profile and an e-mail claim each, written straight to the table), one person registered in several
events, erased through the gateway and the state machine. Reports the items read per second by the
walk and the DynamoDB requests per erased item.

Run alone: ``python -m localcloud.bench_dsar --events 50 --items 100000``. Like DynamoDB, the local
cloud answers a query from the queried partition (`localcloud.moto_partitions`), so the walk's cost
follows the person's partitions, not the table: 100,000 items, the target scale, is the default.
"""

from __future__ import annotations

import argparse
import time
import uuid
from typing import Any

import boto3
from salon.dsar.domain.findings import REMOVED
from salon.kernel import keys
from salon.kernel.keyed_hash import email_digest, tenant_key

from localcloud.api_client import ApiClient
from localcloud.bench import AwsCallCounter
from localcloud.demo import make_user
from localcloud.demo_dsar import answer

EVENTS = 50
ITEMS = 100_000
ITEMS_PER_COMPANY = 4
SUBJECT_EVENTS = 5  # the erased person took part in this many events


def _company(tenant_id: str, event_id: str, email: str, key: bytes) -> list[dict[str, Any]]:
    rid, pid = f"reg_{uuid.uuid4().hex}", f"par_{uuid.uuid4().hex}"
    hashed = email_digest(key, email)
    base = {"tenant_id": tenant_id, "event_id": event_id, "registration_id": rid}
    return [
        {
            "PK": keys.registration_pk(tenant_id, rid),
            "SK": keys.REGISTRATION_SK,
            "item_type": "registration",
            **base,
            "type": "buyer",
            "state": "validated",
            "company_name": f"Company {rid[-6:]}",
            "participant_ids": [pid],
            "version": 1,
        },
        {
            "PK": keys.registration_pk(tenant_id, rid),
            "SK": keys.participant_sk(pid),
            "GSI2PK": keys.participant_index(tenant_id, pid),
            "GSI2SK": keys.participant_sk(pid),
            "item_type": "participant",
            **base,
            "participant_id": pid,
            "email": email,
            "first_name": "Bench",
            "last_name": pid[-6:],
        },
        {
            "PK": keys.registration_pk(tenant_id, rid),
            "SK": keys.profile_sk(pid),
            "item_type": "profile",
            **base,
            "participant_id": pid,
            "needs": ["a"],
            "offers": ["b"],
        },
        {
            "PK": keys.event_pk(tenant_id, event_id),
            "SK": keys.email_sk(hashed),
            "GSI1PK": keys.person_pk(tenant_id, hashed),
            "GSI1SK": keys.claim_sort(event_id),
            "item_type": "email_claim",
            **base,
            "participant_id": pid,
            "email_hash": hashed,
        },
    ]


def _seed(cloud: Any, tenant_id: str, events: int, items: int, subject: str) -> int:
    secret = cloud.client("secretsmanager").get_secret_value(
        SecretId=cloud.resources.physical_ids["PersonKeySecret"]
    )["SecretString"]
    key = tenant_key(str(secret).encode(), tenant_id)
    resource = boto3.resource(
        "dynamodb", region_name=cloud.resources.region, endpoint_url=cloud.endpoint_url
    ).Table(cloud.resources.table_name)
    per_event = max(1, items // ITEMS_PER_COMPANY // events)
    written = 0
    with resource.batch_writer() as batch:
        for n in range(events):
            event_id = f"evt_bench_{n:03d}"
            for c in range(per_event):
                email = subject if c == 0 and n < SUBJECT_EVENTS else f"p{n}-{c}@bench.example"
                for item in _company(tenant_id, event_id, email, key):
                    batch.put_item(Item=item)
                    written += 1
    return written


def _step_seconds(cloud: Any, dsar_id: str) -> dict[str, float]:
    """Seconds spent in each state of the request's execution (entered -> exited, summed)."""
    stepfunctions = cloud.client("stepfunctions")
    machine = next(
        m["stateMachineArn"]
        for m in stepfunctions.list_state_machines()["stateMachines"]
        if m["name"].endswith("-dsar")
    )
    arn = machine.replace(":stateMachine:", ":execution:", 1) + f":{dsar_id}"
    history = stepfunctions.get_execution_history(executionArn=arn, maxResults=1000)["events"]
    entered: dict[str, Any] = {}
    seconds: dict[str, float] = {}
    for event in history:
        if event["type"].endswith("StateEntered"):
            name = event["stateEnteredEventDetails"]["name"]
            entered[name] = event["timestamp"]
        elif event["type"].endswith("StateExited"):
            name = event["stateExitedEventDetails"]["name"]
            if name in entered:
                spent = (event["timestamp"] - entered.pop(name)).total_seconds()
                seconds[name] = seconds.get(name, 0.0) + spent
    return seconds


def section(events: int = EVENTS, items: int = ITEMS) -> list[str]:
    from localcloud import LocalCloud

    with LocalCloud.start(gateway_port=0) as cloud:
        tenant_id = f"t-dsar-{uuid.uuid4().hex[:6]}"
        subject = f"subject-{uuid.uuid4().hex[:6]}@bench.example"
        started = time.perf_counter()
        seeded = _seed(cloud, tenant_id, events, items, subject)
        seed_s = time.perf_counter() - started
        dpo = make_user(cloud, f"dpo-{uuid.uuid4().hex[:6]}@bench.example", "dpo", tenant_id)
        counter = AwsCallCounter()
        with counter.installed():
            started = time.perf_counter()
            done = answer(ApiClient(cloud.gateway_url).as_user(dpo.token), "erasure", subject)
            wall = time.perf_counter() - started
        steps = _step_seconds(cloud, str(done["dsar_id"]))
        stored = (
            boto3.resource("dynamodb", region_name=cloud.resources.region, endpoint_url=cloud.endpoint_url)
            .Table(cloud.resources.table_name)
            .get_item(Key={"PK": keys.dsar_pk(tenant_id, done["dsar_id"]), "SK": keys.DSAR_SK})
        )
    stores = done["certificate"]["stores"]
    erased = sum((s["before"] or 0) - (s["after"] or 0) for s in stores if s["rule"] in REMOVED)
    found = sum(s["before"] or 0 for s in stores)
    # The find and the check each read the person's items and every item of their partitions.
    read = 2 * (found + int(stored["Item"]["bystanders"]["count"]))
    walking = steps.get("Find", 0.0) + steps.get("Check", 0.0)
    dynamo = counter.total("dynamodb")
    return [
        f"## Erasure in a large tenant ({events} events, {seeded} items seeded in {seed_s:.0f} s)",
        "",
        f"One person registered in {SUBJECT_EVENTS} events, erased through POST /dsar, the verification and",
        "the state machine (find, one act per store, check, certify). The person is found through the",
        "person index (one query), never a scan; the check rereads the partitions the person lives in.",
        "Each query reads its partition only (as DynamoDB does), whatever the size of the tenant.",
        "",
        "| items found | items erased | items read (find + check) | find + check s | items read/s | "
        "request wall s | DynamoDB requests | requests per erased item |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {found} | {erased} | {read} | {walking:.1f} | {read / max(walking, 1e-9):.0f} | {wall:.1f} | "
        f"{dynamo} | {dynamo / max(erased, 1):.1f} |",
        "",
        "Seconds per state (execution history): "
        + ", ".join(f"{name} {seconds:.1f}" for name, seconds in steps.items()),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m localcloud.bench_dsar", description=__doc__)
    parser.add_argument("--events", type=int, default=EVENTS)
    parser.add_argument("--items", type=int, default=ITEMS)
    options = parser.parse_args(argv)
    print("\n".join(section(options.events, options.items)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
