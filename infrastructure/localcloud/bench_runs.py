"""`make bench-scheduler SCOPE=runs`: a scheduling run end to end on the local cloud, from
`POST /events/{id}/schedule-runs` through the state machine (the real ASL) to published agendas.

A generated tier (salon_scheduler.generator) becomes an event: one validated registration per
company, with as many participants, and one approved meeting request per meeting, written through
the repositories (seeding over HTTP would take longer than the run); the tier's unavailability,
quotas, sessions and dedicated tables are not carried over. The organiser then sets a grid of the
tier's days and slots over HTTP, starts the run, polls it to `ready`, publishes it (202) and polls
it to `published`. Reported: the time of each step (from the executions' histories, the publish
step's from the publish state machine's), the DynamoDB calls of the whole run and of the
publication per meeting, and the size of the documents the run stores.

Environment: RUNS_TIERS (default "L"); RUNS_XL_SOLVE=1 adds the XL tier's Solve step alone (the
schedule function invoked on its problem document; over 10 minutes, so not by default);
TIME_LIMIT (the run's time limit in seconds; default: the tier's in salon_scheduler.bench);
BENCH_OUT.
"""

from __future__ import annotations

import json
import math
import os
import secrets
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import boto3
from botocore.config import Config
from salon.kernel import aws
from salon.kernel.dynamo import Put, Table
from salon.matchmaking.adapters.requests_repo import RequestsRepository
from salon.matchmaking.domain.requests import Actor, MeetingRequest, RequestLimits
from salon.registration.adapters.submissions_repo import SubmissionsRepository
from salon.scheduling.adapters.agenda_store import AgendaStore
from salon_scheduler.bench import TIER_TIME_LIMIT_S
from salon_scheduler.document import problem_document
from salon_scheduler.generator import TIERS, Tier, generate, table_count
from salon_scheduler.instance import Instance

from localcloud.api_client import ApiClient
from localcloud.bench import AwsCallCounter
from localcloud.demo import ORGANIZER, make_user, quiet_handler_logs, set_up_event
from localcloud.demo_schedule import publish
from localcloud.template import load_template

POLL_S = 0.5
LONG_CALL_S = 1_800.0  # the XL Solve step invoked directly
WRITES = ("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems")


@dataclass
class RunFigures:
    tier: Tier
    requested: int = 0
    placed: int = 0
    status: str = ""
    step_s: dict[str, float] = field(default_factory=dict)
    publish_s: float = 0.0
    run_calls: Counter[str] = field(default_factory=Counter)
    publish_calls: Counter[str] = field(default_factory=Counter)
    meetings_published: int = 0
    agendas: int = 0
    documents: dict[str, int] = field(default_factory=dict)  # file name -> bytes
    seed_s: float = 0.0


def seed_event(cloud: Any, organizer: ApiClient, tenant_id: str, instance: Instance, tier: Tier) -> str:
    """An event holding the instance as validated registrations and approved requests."""
    event_id = set_up_event(organizer, datetime.now(UTC))
    event = organizer.get_event(event_id)
    first_day = datetime.fromisoformat(str(event["starts_at"])).astimezone(ZoneInfo(str(event["time_zone"])))
    opens = datetime(2000, 1, 1, 9, 0)
    sizes = [len(m.participants) for m in instance.meetings]
    day = {"opens": "09:00", "closes": (opens + timedelta(minutes=30 * tier.slots_per_day)).strftime("%H:%M")}
    grid = {
        "days": [
            {"date": (first_day.date() + timedelta(days=n)).isoformat(), **day} for n in range(tier.days)
        ],
        "slot_minutes": 30,
        "tables": [{"count": table_count(tier), "capacity": max(4, *sizes), "prefix": "T"}],
    }
    version = int(organizer.get(f"/events/{event_id}/grid")["version"])
    organizer.request("PUT", f"/events/{event_id}/grid", json={"grid": grid, "version": version})
    table = Table(cloud.resources.table_name)
    registrations = SubmissionsRepository(table)
    companies = sorted(set(instance.participant_company))
    registration_of = {c: f"reg_{uuid.uuid4().hex}" for c in companies}
    participant_of = {p: f"par_{uuid.uuid4().hex}" for p in range(instance.n_participants)}
    types = ("buyer", "supplier")
    now = datetime.now(UTC)
    for c in companies:
        rid = registration_of[c]
        members = [p for p, company in enumerate(instance.participant_company) if company == c]
        people = [
            {
                "participant_id": participant_of[p],
                "registration_id": rid,
                "event_id": event_id,
                "position": n,
                "email": f"{participant_of[p]}@salon-bench.example.fr",
                "account_status": "active",
                "first_name": "Bench",
                "last_name": f"P{p}",
                "locale": "fr",
            }
            for n, p in enumerate(members)
        ]
        sheet = {
            "registration_id": rid,
            "event_id": event_id,
            "type": types[c % 2],
            "state": "validated",
            "company_name": f"Company {c}",
            "participant_ids": [participant_of[p] for p in members],
            "created_at": now.isoformat(),
        }
        registrations.create(tenant_id, sheet, people)
    requests = RequestsRepository(table)
    items: list[dict[str, Any]] = []
    for meeting in instance.meetings:
        a, b = meeting.companies
        request = MeetingRequest(
            request_id=f"req_{uuid.uuid4().hex}",
            tenant_id=tenant_id,
            event_id=event_id,
            from_registration_id=registration_of[a],
            to_registration_id=registration_of[b],
            from_participant_ids=[
                participant_of[p] for p in meeting.participants if p in _members(instance, a)
            ],
            to_participant_ids=[
                participant_of[p] for p in meeting.participants if p in _members(instance, b)
            ],
            priority=max(1, 4 - meeting.weight),
            state="approved",
            sent_by=Actor(
                sub="bench", role="participant", participant_id=participant_of[meeting.participants[0]]
            ),
            created_at=now,
            updated_at=now,
        )
        writes = requests.send_writes(
            request, sender_type="buyer", receiver_type="supplier", limits=RequestLimits(), expires_at=None
        )
        first = writes.ops[0]
        assert isinstance(first, Put)  # the request itself; pairs and counters do not matter to a run
        items.append(first.item)
    with aws.dynamodb().Table(cloud.resources.table_name).batch_writer() as batch:
        for item in items:
            batch.put_item(Item=item)
    return event_id


def _members(instance: Instance, company: int) -> set[int]:
    return {p for p, c in enumerate(instance.participant_company) if c == company}


def run_and_publish(
    cloud: Any,
    organizer: ApiClient,
    tenant_id: str,
    event_id: str,
    time_limit_s: float,
    counter: AwsCallCounter,
    figures: RunFigures,
) -> None:
    """The run polled to its end, its steps timed from the execution's history, then published."""
    counter.reset()
    started = time.perf_counter()
    body = {"time_limit_s": int(time_limit_s), "seed": 0}
    run = organizer.post(f"/events/{event_id}/schedule-runs", body, expected=(202,))
    run_id = str(run["run_id"])
    while run["status"] not in ("ready", "failed", "cancelled"):
        if time.perf_counter() - started > 2 * time_limit_s + 600:
            break
        time.sleep(POLL_S)
        run = organizer.get(f"/schedule-runs/{run_id}")
    figures.status = str(run["status"])
    figures.run_calls = Counter(counter.calls)
    figures.step_s = step_times(cloud, run_id)
    figures.step_s["POST to ready, as polled"] = time.perf_counter() - started
    if figures.status != "ready":
        raise RuntimeError(f"run {run_id} ended {figures.status}: {run.get('failure')}")
    stats = run["statistics"]
    figures.placed, figures.requested = int(stats["placed"]), int(stats["requested"])
    listed = cloud.client("s3").list_objects_v2(
        Bucket=cloud.resources.physical_ids["ScheduleBucket"], Prefix=f"{tenant_id}/runs/{run_id}/"
    )
    figures.documents = {o["Key"].rsplit("/", 1)[-1]: int(o["Size"]) for o in listed.get("Contents", [])}
    counter.reset()
    published = publish(organizer, run_id)
    figures.publish_s = step_times(cloud, f"{run_id}-1", "PublishRunStateMachine")["publish"]
    figures.publish_calls = Counter(counter.calls)
    written = AgendaStore(Table(cloud.resources.table_name)).meetings(tenant_id, event_id).values()
    figures.meetings_published = sum(1 for m in written if m["run_id"] == run_id)
    figures.agendas = int(published["progress"]["agendas_changed"])


def step_times(cloud: Any, execution: str, machine_id: str = "ScheduleRunStateMachine") -> dict[str, float]:
    """Seconds in each task state of the machine's execution, from its history (entered to exited)."""
    stepfunctions = cloud.client("stepfunctions")
    machine = cloud.resources.physical_ids[machine_id]
    arn = machine.replace(":stateMachine:", ":execution:", 1) + f":{execution}"
    entered: dict[str, datetime] = {}
    seconds: dict[str, float] = {}
    for event in stepfunctions.get_execution_history(executionArn=arn, maxResults=1000)["events"]:
        if event["type"] == "TaskStateEntered":
            entered[event["stateEnteredEventDetails"]["name"]] = event["timestamp"]
        elif event["type"] == "TaskStateExited":
            name = event["stateExitedEventDetails"]["name"]
            seconds[name.lower()] = (event["timestamp"] - entered[name]).total_seconds()
    return seconds


def bench_tier(tier: Tier, time_limit_s: float) -> RunFigures:
    """The tier in a local cloud of its own."""
    from localcloud import LocalCloud

    quiet_handler_logs()
    with LocalCloud.start(gateway_port=0) as cloud:
        return bench_in(cloud, tier, time_limit_s)


def bench_in(cloud: Any, tier: Tier, time_limit_s: float) -> RunFigures:
    figures = RunFigures(tier)
    instance = generate(tier, 0)
    counter = AwsCallCounter()
    with counter.installed():
        tenant_id = f"t-bench-runs-{secrets.token_hex(3)}"
        email = f"bench.runs.{tenant_id}@salon-bench.example.fr"
        organizer_user = make_user(cloud, email, ORGANIZER, tenant_id)
        organizer = ApiClient(cloud.gateway_url).as_user(organizer_user.token)
        began = time.perf_counter()
        event_id = seed_event(cloud, organizer, tenant_id, instance, tier)
        figures.seed_s = time.perf_counter() - began
        run_and_publish(cloud, organizer, tenant_id, event_id, time_limit_s, counter, figures)
    return figures


@dataclass(frozen=True)
class SolveFigures:
    tier: Tier
    seconds: float
    placed: int
    requested: int
    violations: int
    problem_bytes: int


def solve_step(cloud: Any, tier: Tier, time_limit_s: float) -> SolveFigures:
    """The Solve step alone, as the state machine invokes it: the tier's problem document in the
    schedule bucket, the schedule function invoked through the Lambda API."""
    problem = json.dumps(problem_document(generate(tier, 0)))
    key = f"t-bench-solve/runs/{uuid.uuid4().hex}/problem.json"
    cloud.client("s3").put_object(
        Bucket=cloud.resources.physical_ids["ScheduleBucket"], Key=key, Body=problem
    )
    event = {"tenant_id": "t-bench-solve", "problem_key": key, "time_limit_s": time_limit_s, "seed": 0}
    started = time.perf_counter()
    waiting = Config(read_timeout=LONG_CALL_S, retries={"total_max_attempts": 1})  # never invoked twice
    client = boto3.client(
        "lambda", region_name=cloud.resources.region, endpoint_url=cloud.endpoint_url, config=waiting
    )
    response = client.invoke(
        FunctionName=cloud.resources.function_name("ScheduleFunction"), Payload=json.dumps(event)
    )
    seconds = time.perf_counter() - started
    summary = json.loads(response["Payload"].read())
    if response.get("FunctionError"):
        raise RuntimeError(f"the solve step failed: {summary.get('errorType')}")
    return SolveFigures(
        tier,
        seconds,
        int(summary["placed"]),
        int(summary["requested"]),
        int(summary["violations"]),
        len(problem.encode()),
    )


def _dynamodb(calls: Counter[str], writes_only: bool) -> int:
    return sum(
        n
        for name, n in calls.items()
        if name.startswith("dynamodb:") and (not writes_only or name.split(":")[1].split(" ")[0] in WRITES)
    )


def format_runs(rows: list[RunFigures]) -> list[str]:
    if not rows:
        return []
    lines = [
        "| tier | persons / requests | seeded s | step | s | placed / requested | DynamoDB calls (writes) "
        "| writes per published meeting | documents (bytes) |",
        "|---|---|---:|---|---:|---|---|---:|---|",
    ]
    for f in rows:
        per_meeting = _dynamodb(f.publish_calls, True) / max(1, f.meetings_published)
        documents = ", ".join(f"{name} {size:,}" for name, size in sorted(f.documents.items()))
        steps = [*f.step_s.items(), ("publish", f.publish_s)]
        for n, (step, seconds) in enumerate(steps):
            run_cells = (
                (
                    f"{f.placed} / {f.requested}",
                    f"run {_dynamodb(f.run_calls, False)} ({_dynamodb(f.run_calls, True)}); publish "
                    f"{_dynamodb(f.publish_calls, False)} ({_dynamodb(f.publish_calls, True)})",
                    f"{per_meeting:.2f} ({f.meetings_published} meetings, {f.agendas} agendas)",
                    documents,
                )
                if n == 0
                else ("", "", "", "")
            )
            head = (
                (f.tier.name, f"{f.tier.persons} / {f.tier.requests}", f"{f.seed_s:.0f}")
                if n == 0
                else ("", "", "")
            )
            lines.append("| " + " | ".join([*head, step, f"{seconds:.1f}", *run_cells]) + " |")
    return lines


def format_solves(solves: list[SolveFigures]) -> list[str]:
    if not solves:
        return ["", "XL's solve step not run (set RUNS_XL_SOLVE=1: it takes over 10 minutes)."]
    lines = [
        "",
        "The Solve step alone (problem document in the bucket, schedule function invoked through the "
        "Lambda API; its timeout is 900 s):",
        "",
        "| tier | persons / requests | solve s | placed / requested | violations | problem bytes |",
        "|---|---|---:|---|---:|---:|",
    ]
    for f in solves:
        lines.append(
            f"| {f.tier.name} | {f.tier.persons} / {f.tier.requests} | {f.seconds:.0f} "
            f"| {f.placed} / {f.requested} | {f.violations} | {f.problem_bytes:,} |"
        )
    return lines


def publish_timeout_s() -> float:
    """The timeout of the publish step's function, as the template declares it."""
    template = load_template()
    function = template["Resources"]["SchedulePublishFunction"]["Properties"]
    return float(function.get("Timeout") or template["Globals"]["Function"]["Timeout"])


def main() -> None:
    names = [n.strip() for n in os.environ.get("RUNS_TIERS", "L").split(",") if n.strip()]
    rows = []
    override = os.environ.get("TIME_LIMIT")
    for name in names:
        rows.append(bench_tier(TIERS[name], float(override or TIER_TIME_LIMIT_S[name])))
        print(f"{name}: {rows[-1].status}", flush=True)
    solves: list[SolveFigures] = []
    if os.environ.get("RUNS_XL_SOLVE") == "1":
        from localcloud import LocalCloud

        with LocalCloud.start(gateway_port=0) as cloud:
            solves.append(solve_step(cloud, TIERS["XL"], float(override or TIER_TIME_LIMIT_S["XL"])))
    out_dir = Path(os.environ.get("BENCH_OUT", "bench-results/scheduler"))
    out_dir.mkdir(parents=True, exist_ok=True)
    text = [
        "# Scheduling runs end to end (local cloud)",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average {os.getloadavg()[0]:.1f}. "
        "Steps timed from the execution's history (task state entered to exited); DynamoDB calls "
        "counted on every botocore client of the process (handlers run in-process).",
        "",
        *format_runs(rows),
        "",
        *(
            f"{f.tier.name}: the publish step took {f.publish_s:.0f} s; its function times out after "
            f"{limit:.0f} s, so in the cloud the state machine retries it (it resumes) about "
            f"{math.ceil(f.publish_s / limit)} times."
            for f in rows
            if f.publish_s > (limit := publish_timeout_s())
        ),
        *format_solves(solves),
    ]
    (out_dir / "runs.md").write_text("\n".join(text) + "\n")
    print("\n".join(text))


if __name__ == "__main__":
    main()
