"""The demo flow at small scale, and the dev server's seeding, over the local gateway."""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
import jwt
import pytest
import requests
from localcloud.api_client import ApiClient
from localcloud.demo import format_report, planned_decision, run_demo
from localcloud.demo_notify import REQUALIFIED_COMPANIES, SETTLE_TIMEOUT_S
from localcloud.dev import seed, write_users_file
from salon.kernel.dynamo import Table
from salon.kernel.usernames import username_for
from salon.scheduling.adapters.agenda_store import AgendaStore

if TYPE_CHECKING:
    from localcloud import LocalCloud

pytestmark = pytest.mark.e2e

REPO_ROOT = Path(__file__).resolve().parents[2]
COMPANIES = 12
ROLES = {"organizer", "staff", "dpo", "participant"}


def _claims(token: str) -> dict[str, Any]:
    # The gateway verified these tokens when they were issued; here only their content matters.
    return dict(jwt.decode(token, options={"verify_signature": False}))


def test_demo_flow_on_twelve_companies(cloud: LocalCloud) -> None:
    report = run_demo(cloud, companies=COMPANIES, schedule_time_limit_s=2, notify_wait_s=SETTLE_TIMEOUT_S)

    planned = Counter(planned_decision(position, COMPANIES) for position in range(COMPANIES))
    assert report.companies == COMPANIES
    assert report.by_state["validated"] == planned["validate"]
    assert report.by_state["refused"] == planned["refuse"] == len(report.refused_ids) >= 1
    assert report.by_state["submitted"] == planned["pending"]
    assert sum(report.by_type.values()) == COMPANIES
    assert report.idempotent_replays == report.replays_matching >= 1
    requests_ = report.meeting_requests
    assert requests_.sent >= 10 and sum(requests_.by_state.values()) == requests_.sent
    assert requests_.by_state["approved"] >= requests_.mutual >= 1
    csv_file, xlsx_file = requests_.exports
    assert csv_file.read_bytes().startswith("\ufeffDemande;".encode())
    assert xlsx_file.read_bytes().startswith(b"PK")  # a zip: the XLSX container
    assert "Meeting requests:" in format_report(report)
    schedule = report.schedule
    assert schedule.statistics["requested"] == requests_.by_state["approved"]
    assert schedule.published["status"] == "published"
    progress = schedule.published["progress"]
    assert progress["agendas_done"] == progress["agendas_total"] >= progress["agendas_changed"] > 0
    assert schedule.agenda["version"] == 1 and schedule.agenda["meetings"]
    assert [p["kind"] for p in schedule.agenda["pauses"]] == ["lunch", "lunch"]
    assert f"Agenda of participant {schedule.participant_id} (version 1):" in format_report(report)
    moved = schedule.moved  # the organiser moved the participant's first meeting by hand
    assert (
        moved["meeting_id"] == schedule.agenda["meetings"][0]["meeting_id"] and moved["agendas_changed"] >= 2
    )
    after = {m["meeting_id"]: m for m in schedule.agenda_after["meetings"]}
    assert (
        schedule.agenda_after["version"] == 2
        and after[moved["meeting_id"]]["starts_at"] != (schedule.agenda["meetings"][0]["starts_at"])
    )
    assert f"Agenda of participant {schedule.participant_id} (version 2):" in format_report(report)
    assert schedule.calendar_url.endswith("/agenda.ics") and schedule.calendar_url in format_report(report)
    assert schedule.agenda_pdf is not None and schedule.agenda_pdf.read_bytes().startswith(b"%PDF-")
    assert report.profile_saved
    assert report.profiles_filled == planned["validate"] - 1  # every other one, below the demo's subset
    suggested = next(line for line in report.search if line.startswith("Suggested for this participant"))
    assert "(top 0)" not in suggested
    assert report.tenant_b_probes
    assert {status for _, status in report.tenant_b_probes} == {404}

    organizer_reads = [
        line for line in report.audit if line.actor_role == "organizer" and line.action == "registration.read"
    ]
    assert organizer_reads, report.audit
    assert report.actor_labels[organizer_reads[0].actor_id] == "organiser A"

    dsar = report.dsar
    assert dsar.access["status"] == dsar.erasure["status"] == "completed"
    assert Path(dsar.archive_path).read_bytes().startswith(b"PK")
    assert {s["target"]: s["after"] for s in dsar.erasure["stores"]}["SalonTable/participant"] == 0
    assert dsar.erasure["certificate"]["residue"] == 0
    assert (
        dsar.sweep_report["events"] == [report.event_id] and dsar.sweep_report["removed"]["participant"] > 0
    )
    closed = report.closure.closure
    assert closed["status"] == "completed" and closed["certificate"]["residue"] == 0
    assert {s["target"]: s["after"] for s in closed["stores"]}["UserPool"] == 0
    assert report.closure.others_before == report.closure.others_after > 0
    checkout = report.checkout
    bought = sum(checkout.by_method.values())
    assert checkout.by_method["card"] > checkout.by_method["transfer"] >= 1
    assert checkout.by_state == {"paid": bought - 1, "refunded": 1}  # the partly refunded one stays paid
    assert checkout.net_cents > 0 and set(checkout.vat_by_rate) == {"10", "20"}
    assert checkout.refunded_cents > 6_600
    deposits = len(checkout.deposits)  # paid in two instalments: a deposit invoice and a final one
    assert deposits == 2, checkout.deposits
    for line in checkout.deposits:  # both instalments paid, two invoices (each with its amount)
        assert "(paid): deposit" in line and ", balance" in line and line.count(" paid") == 2, line
        assert line.count(" EUR") == 4, line
    invoices = bought + deposits
    assert checkout.documents_issued == invoices + 2  # a credit note per refund
    invoiced = "\n".join(checkout.invoices)
    assert f"{invoices + 2} numbers ({invoices} invoices, 2 credit notes), no gap, no duplicate" in invoiced
    pdf = next(line for line in checkout.invoices if "one PDF: " in line).split("one PDF: ")[1]
    facturx = next(line for line in checkout.invoices if "one Factur-X: " in line).split("one Factur-X: ")[1]
    assert Path(pdf).read_bytes().startswith(b"%PDF") and Path(facturx).read_bytes().startswith(b"%PDF")
    requalified = re.search(
        r"(\d+) contacts asked, (\d+) e-mails sent, (\d+) confirmed .* (\d+) flagged overdue; "
        r"the organiser's filter lists (\d+) companies",
        "\n".join(report.requalification),
    )
    assert requalified is not None, report.requalification
    asked, sent, confirmed, flagged, listed = (int(n) for n in requalified.groups())
    assert asked == sent >= REQUALIFIED_COMPANIES and confirmed == 1 and flagged == asked - confirmed
    assert 0 < listed <= REQUALIFIED_COMPANIES
    notified = "\n".join(report.notifications)
    for kind in (
        "registration_received",
        "registration_validated",
        "registration_refused",
        "agenda_published",
    ):
        assert f"email {kind}" in notified, notified
    assert ".eml" in notified

    printed = format_report(report)
    assert "Data-subject requests (tenant A's DPO)" in printed
    assert f"Tenant B closed (POST /tenant/close after its export {closed['export_id']})" in printed
    assert "@" not in printed
    assert report.subject_participant_id in printed
    assert "revenue of paid orders excluding VAT" in printed


def test_dev_seed_writes_users_whose_tokens_work(cloud: LocalCloud, tmp_path: Path) -> None:
    label = f"dev{secrets.token_hex(3)}"
    seeded = seed(cloud, label=label)
    users_file = tmp_path / "dev-users.json"
    write_users_file(users_file, seeded.users)

    users = json.loads(users_file.read_text(encoding="utf-8"))
    assert {user["role"] for user in users} == ROLES
    tenant_a_participants = [
        u for u in users if u["role"] == "participant" and u["tenant_id"] == f"t-{label}-a"
    ]
    assert sorted(u["type"] for u in tenant_a_participants) == ["buyer", "buyer", "supplier", "supplier"]
    assert set(seeded.events) == {user["tenant_id"] for user in users} and len(seeded.events) == 2
    gateway = ApiClient(cloud.gateway_url)
    for user in users:
        assert set(user) == {
            "email",
            "username",
            "password",
            "role",
            "tenant_id",
            "token",
            "registration_id",
            "type",
        }
        assert user["username"] == username_for(user["role"], user["tenant_id"], user["email"])
        client = gateway.as_user(user["token"])
        own_event = seeded.events[user["tenant_id"]]
        if user["role"] == "participant":
            participations = client.me()["participations"]
            assert [p["event_id"] for p in participations] == [own_event]
            assert [(p["registration_id"], p["type"]) for p in participations] == [
                (user["registration_id"], user["type"])
            ]
        elif user["role"] == "dpo":
            client.audit(subject_id=seeded.registration_ids[0])
        else:
            event_ids = {event["event_id"] for event in client.list_events()}
            assert event_ids & set(seeded.events.values()) == {own_event}
            validated = client.list_registrations(own_event, state="validated")
            assert len(validated) >= 2
    seeded_requests = list(
        gateway.as_user(seeded.users[0].token).paginate(f"/events/{seeded.event_id}/meeting-requests")
    )
    assert seeded_requests and {r["event_id"] for r in seeded_requests} == {seeded.event_id}
    participant = next(
        u for u in seeded.users if u.role == "participant" and u.tenant_id == users[0]["tenant_id"]
    )
    assert cloud.login(participant.username, participant.password)  # the file's password still works
    as_participant = gateway.as_user(participant.token)
    suggestions_path = f"/events/{seeded.event_id}/suggestions"
    deadline = time.monotonic() + 30  # the indexer works from domain events, asynchronously
    while not (suggested := as_participant.request("GET", suggestions_path).json["items"]):
        assert time.monotonic() < deadline, "no suggestions: the seeded companies have no profiles"
        time.sleep(0.2)
    assert all(item["reasons"] for item in suggested)
    tenant_a = users[0]["tenant_id"]
    agendas = [
        gateway.as_user(cloud.login(u.username, u.password)).get("/me/agenda")
        for u in seeded.users
        if u.role == "participant" and u.tenant_id == tenant_a
    ]
    assert any(a["version"] >= 1 and a["meetings"] for a in agendas)  # a published schedule to browse
    meetings = AgendaStore(Table(cloud.resources.table_name)).meetings(tenant_a, seeded.event_id).values()
    assert {m["locked"] for m in meetings} >= {"slot_and_table", "none"}  # some meetings locked


def test_dev_exit_after_seed_writes_the_users_file(tmp_path: Path) -> None:
    users_file = tmp_path / "dev-users.json"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "localcloud.dev",
            "--port",
            "0",
            "--exit-after-seed",
            "--users-file",
            str(users_file),
        ],
        cwd=REPO_ROOT,
        env={**os.environ, "AWS_LAMBDA_LOG_LEVEL": "WARN"},
        capture_output=True,
        text=True,
        timeout=300,  # the seed runs and publishes a schedule too; the machine may be loaded
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert "/openapi.json" in completed.stdout
    assert "/docs" in completed.stdout

    users = json.loads(users_file.read_text(encoding="utf-8"))
    assert {user["role"] for user in users} == ROLES
    assert oct(users_file.stat().st_mode & 0o777) == "0o600"
    for user in users:
        claims = _claims(user["token"])
        assert claims["cognito:username"] == user["username"]
        assert claims["email"] == user["email"]
        assert claims["custom:tenant_id"] == user["tenant_id"]
        assert user["role"] in claims["cognito:groups"]
    assert len({user["tenant_id"] for user in users}) == 2
    assert (tmp_path / "cloud.json").exists()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _first_health(url: str, server: subprocess.Popen[str], errors: Path, deadline_s: float = 300) -> None:
    started = time.monotonic()
    while time.monotonic() - started < deadline_s:
        assert server.poll() is None, errors.read_text(encoding="utf-8")[-2000:]
        try:
            if requests.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise AssertionError("the dev server never answered /health")


def _sign_in_with_the_sdk(cloud_file: Path, users_file: Path) -> None:
    """What a person does with cloud.json: USER_PASSWORD_AUTH against the endpoint, then the gateway."""
    described = json.loads(cloud_file.read_text(encoding="utf-8"))
    organizer = next(
        u for u in json.loads(users_file.read_text(encoding="utf-8")) if u["role"] == "organizer"
    )
    idp = boto3.client(
        "cognito-idp",
        endpoint_url=described["endpoint_url"],
        region_name=described["region"],
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    result = idp.initiate_auth(
        AuthFlow="USER_PASSWORD_AUTH",
        ClientId=described["user_pool_client_id"],
        AuthParameters={"USERNAME": organizer["username"], "PASSWORD": organizer["password"]},
    )
    token = result["AuthenticationResult"]["IdToken"]
    headers = {"Authorization": f"Bearer {token}"}
    events = requests.get(f"{described['gateway_url']}/events", headers=headers, timeout=30)
    assert events.status_code == 200, events.text
    assert described["events"][organizer["tenant_id"]] in {e["event_id"] for e in events.json()["items"]}
    assert {"user_pool_id", "table_name", "event_bus_name"} <= set(described)


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_dev_server_is_ready_at_first_health_and_stops_on_signal(tmp_path: Path, stop_signal: int) -> None:
    port = _free_port()
    users_file, cloud_file = tmp_path / "dev-users.json", tmp_path / "cloud.json"
    # Its output goes to files: an unread pipe fills (64 KiB) and blocks the seeding server.
    output, errors = (tmp_path / "dev.out").open("w"), (tmp_path / "dev.err").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "localcloud.dev", "--port", str(port), "--users-file", str(users_file)],
        cwd=REPO_ROOT,
        env={**os.environ, "AWS_LAMBDA_LOG_LEVEL": "WARN"},
        stdout=output,
        stderr=errors,
        text=True,
    )
    try:
        _first_health(f"http://127.0.0.1:{port}", server, tmp_path / "dev.err")
        assert users_file.exists() and cloud_file.exists()
        assert json.loads(cloud_file.read_text(encoding="utf-8"))["gateway_url"] == f"http://127.0.0.1:{port}"
        if stop_signal == signal.SIGTERM:
            _sign_in_with_the_sdk(cloud_file, users_file)
        server.send_signal(stop_signal)
        # A clean stop lets the consumers finish the batches they hold (the seed's last events).
        code = server.wait(timeout=60)
        assert code == 0, (tmp_path / "dev.err").read_text(encoding="utf-8")[-2000:]
    finally:
        if server.poll() is None:
            server.kill()
        server.wait()
        output.close()
        errors.close()


_ROLLBACK_PROBE = """
import json, os, sys
os.environ.update(AWS_ACCESS_KEY_ID="x", AWS_SECRET_ACCESS_KEY="x", AWS_DEFAULT_REGION="eu-west-3")
import boto3
from moto import mock_aws
if sys.argv[1] == "cheap":
    from localcloud.moto_dynamodb import cheap_moto_transaction_snapshots
    cheap_moto_transaction_snapshots()

def item(pk, sk, **extra):
    return {"PK": {"S": pk}, "SK": {"S": sk}, **{k: {"N": str(v)} for k, v in extra.items()}}

def update(pk, value):
    return {"Update": {"TableName": "t", "Key": item(pk, "1"), "UpdateExpression": "SET n = :v",
                       "ExpressionAttributeValues": {":v": {"N": str(value)}}}}

states = []
with mock_aws():
    db = boto3.client("dynamodb")
    db.create_table(
        TableName="t", BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("PK", "SK")],
    )
    db.put_item(TableName="t", Item=item("a", "1", n=1))
    db.put_item(TableName="t", Item=item("b", "1", n=1))
    cancelled = [
        update("a", 2),
        {"Put": {"TableName": "t", "Item": item("c", "1")}},
        {"Delete": {"TableName": "t", "Key": item("b", "1")}},
        {"Put": {"TableName": "t", "Item": item("b", "2"), "ConditionExpression": "attribute_exists(PK)"}},
    ]
    for operations in (cancelled, [update("a", 3), {"Put": {"TableName": "t", "Item": item("c", "1")}}]):
        try:
            db.transact_write_items(TransactItems=operations)
        except db.exceptions.TransactionCanceledException:
            states.append("cancelled")
        states.append(sorted(json.dumps(i, sort_keys=True) for i in db.scan(TableName="t")["Items"]))
print(json.dumps(states))
"""


def test_cheap_moto_snapshots_roll_back_like_moto() -> None:
    # A subprocess: mock_aws resets moto's in-process backends, which the session's cloud shares.
    # The running cloud points AWS_* variables at its moto server: the probe must not inherit them.
    env = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}

    def run(mode: str) -> Any:
        completed = subprocess.run(
            [sys.executable, "-c", _ROLLBACK_PROBE, mode], env=env, capture_output=True, text=True, timeout=60
        )
        assert completed.returncode == 0, completed.stderr[-2000:]
        return json.loads(completed.stdout)

    reference = run("moto")
    assert reference[0] == "cancelled"
    assert run("cheap") == reference
