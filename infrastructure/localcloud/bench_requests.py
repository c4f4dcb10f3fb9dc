"""`make bench`, meeting requests: DynamoDB calls per send (new and mutual) and per answer, and requests
per second, through the local gateway with warm handlers (target: 2 reads and 1 transaction a send)."""

from __future__ import annotations

import random
import secrets
import time
from collections import Counter
from datetime import UTC, datetime

from localcloud.api_client import ApiClient
from localcloud.bench import AwsCallCounter, Latencies
from localcloud.demo import ORGANIZER, make_user, set_up_event, strong_password
from localcloud.demo_data import generate_companies, registration_payload
from localcloud.demo_requests import Campaign, Party, open_catalogue, plan_pairs

COMPANIES = 60
SENDS = 200
MUTUAL = 40
BENCH_SEED = 900


def requests_section() -> list[str]:
    from localcloud import LocalCloud

    counter = AwsCallCounter()
    with LocalCloud.start(gateway_port=0) as cloud, counter.installed():
        run_id = secrets.token_hex(3)
        tenant_id = f"t-bench-mr-{run_id}"
        gateway = ApiClient(cloud.gateway_url)
        organizer_user = make_user(cloud, f"bench.mr.{run_id}@salon-bench.example.fr", ORGANIZER, tenant_id)
        organizer = gateway.as_user(organizer_user.token)
        event_id = set_up_event(organizer, datetime.now(UTC))
        open_catalogue(organizer, event_id, datetime.now(UTC))
        public = gateway.as_user(None)
        validated: list[Party] = []
        for company in generate_companies(BENCH_SEED, COMPANIES, domain_label=f"benchmr{run_id}"):
            body = public.register(event_id, registration_payload(company)).json
            organizer.decide(str(body["registration_id"]), "validate")
            validated.append(Party.of(str(body["registration_id"]), company))
        campaign = Campaign(cloud, gateway, event_id, tenant_id, strong_password)
        pairs = plan_pairs(validated, SENDS, random.Random(BENCH_SEED))
        for registered in validated:
            campaign.as_company(registered).get("/me")  # sign in and warm the handlers first

        results: dict[str, tuple[Latencies, Counter[str], int]] = {}
        counter.reset()
        started = time.perf_counter()
        sent = [campaign.send(sender, target, 3, "Bonjour") for sender, target in pairs]
        wall = time.perf_counter() - started
        results["send (new request)"] = (
            Latencies("send", [e for _, e in sent], wall),
            Counter(counter.calls),
            len(sent),
        )
        counter.reset()
        started = time.perf_counter()
        back = [campaign.send(target, sender, 2, "Volontiers") for sender, target in pairs[:MUTUAL]]
        wall = time.perf_counter() - started
        results["send (mutual: approves theirs)"] = (
            Latencies("mutual", [e for _, e in back], wall),
            Counter(counter.calls),
            len(back),
        )
        counter.reset()
        answers: list[float] = []
        started = time.perf_counter()
        for (outcome, _), (_, target) in zip(sent[MUTUAL:], pairs[MUTUAL:], strict=True):
            path = f"/meeting-requests/{outcome['request_id']}/answer"
            answers.append(
                campaign.as_company(target).request("POST", path, json={"decision": "approve"}).elapsed_s
            )
        wall = time.perf_counter() - started
        results["answer (approve)"] = (
            Latencies("answer", answers, wall),
            Counter(counter.calls),
            len(answers),
        )

    lines = [
        f"## Meeting requests through the local gateway ({COMPANIES} companies, {SENDS} requests)",
        "",
        "One client, sequential requests, warm handlers; DynamoDB calls counted on every botocore client.",
        "",
        "| operation | requests | per second | p50 ms | p95 ms | DynamoDB calls each | of which |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for label, (latencies, calls, count) in results.items():
        dynamodb = {name: n for name, n in calls.items() if name.startswith("dynamodb:")}
        detail = ", ".join(
            f"{name.removeprefix('dynamodb:')} {n / count:.2f}"
            for name, n in sorted(dynamodb.items(), key=lambda item: (-item[1], item[0]))
        )
        lines.append(
            f"| {label} | {count} | {latencies.per_second:.1f} | {latencies.p(0.5) * 1000:.1f} "
            f"| {latencies.p(0.95) * 1000:.1f} | {sum(dynamodb.values()) / count:.2f} | {detail} |"
        )
    return lines
