"""Benchmarks (`make bench`): cold import time of every function's handler and the register function's
cold request (its import, then a first request), invoice documents (render time, package size),
registrations through the local gateway, and the audited listing of large registrations. Every figure
comes with a baseline measured the same way, so the ratios mean something on any machine; absolute
numbers are only for this one.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from resource import RUSAGE_CHILDREN, getrusage
from tempfile import TemporaryDirectory
from typing import Any

from salon.kernel.routes import BY_KEY, REGISTER
from salon.registration import examples

from localcloud import bench_indexing, bench_invoices, bench_notify, bench_search
from localcloud.api_client import ApiClient
from localcloud.audit_scale import audit_bytes
from localcloud.demo import (
    ORGANIZER,
    make_user,
    quiet_handler_logs,
    set_up_event,
)
from localcloud.demo_data import DemoCompany, generate_companies, registration_payload
from localcloud.template import load_template

REPO_ROOT = Path(__file__).resolve().parents[2]
RESULTS_FILE = REPO_ROOT / "bench-results" / "bench.md"
IMPORT_RUNS = 5
REGISTRATIONS = 500
HEALTH_CALLS = 500
BENCH_SEED = 500
AUDIT_REGISTRATIONS = 100
AUDIT_PARTICIPANTS = 20
AUDIT_PAGES = (25, 50, 100)

# `-X importtime` prints "import time: <self us> | <cumulative us> | <indented module name>" per module.
_IMPORTTIME_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)\s*$")


# --- (a) cold imports ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FunctionImport:
    logical_id: str
    module: str
    code_dir: Path
    layer_dirs: tuple[Path, ...]
    makefile_layers: frozenset[Path]  # layers SAM builds with their own Makefile (`BuildMethod: makefile`)
    environment: dict[str, str]
    http: bool  # behind the HTTP API: its cold start delays a client's request
    clients: tuple[str, ...]  # how its code creates the AWS clients its role lets it use


# How salon.kernel.aws creates the client of each service a role may call (IAM prefix -> call). KMS is
# reached through DynamoDB and Secrets Manager, logs and X-Ray through Lambda: never clients of the code.
CLIENT_OF_SERVICE = {
    "dynamodb": "boto3.resource('dynamodb')",
    "cognito-idp": "boto3.client('cognito-idp')",
    "secretsmanager": "boto3.client('secretsmanager')",
    "s3": "boto3.client('s3')",
    "states": "boto3.client('stepfunctions')",
    "events": "boto3.client('events')",
}


def _clients(resources: dict[str, Any], properties: dict[str, Any]) -> tuple[str, ...]:
    role = resources.get(str(properties.get("Role", {}).get("Fn::GetAtt", [""])[0]), {})
    actions: set[str] = set()
    for policy in role.get("Properties", {}).get("Policies", []):
        for statement in policy["PolicyDocument"]["Statement"]:
            found = statement.get("Action", [])
            actions.update([found] if isinstance(found, str) else found)
    services = sorted({action.split(":")[0] for action in actions})
    return tuple(CLIENT_OF_SERVICE[service] for service in services if service in CLIENT_OF_SERVICE)


def _plain_value(name: str, value: Any, template: dict[str, Any]) -> str:
    """A parameter's default for `!Ref Parameter`; a placeholder for other intrinsics (resource names
    have no value outside a stack, and an import only needs a string)."""
    if isinstance(value, str):
        return value
    parameter = template.get("Parameters", {}).get(value.get("Ref", "") if isinstance(value, dict) else "")
    if parameter and "Default" in parameter:
        return str(parameter["Default"])
    return f"bench-{name.lower().replace('_', '-')}"


def functions_in_template(template: dict[str, Any]) -> list[FunctionImport]:
    resources: dict[str, Any] = template.get("Resources", {})
    global_env = template.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {})
    found: list[FunctionImport] = []
    for logical_id, resource in resources.items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        properties = resource.get("Properties", {})
        layers = [
            ref["Ref"] for ref in properties.get("Layers", []) if isinstance(ref, dict) and "Ref" in ref
        ]
        variables = {**global_env, **properties.get("Environment", {}).get("Variables", {})}
        found.append(
            FunctionImport(
                logical_id=logical_id,
                module=str(properties.get("Handler", "app.handler")).rpartition(".")[0],
                code_dir=REPO_ROOT / str(properties["CodeUri"]),
                layer_dirs=tuple(
                    REPO_ROOT / str(resources[name]["Properties"]["ContentUri"]) for name in layers
                ),
                makefile_layers=frozenset(
                    REPO_ROOT / str(resources[name]["Properties"]["ContentUri"])
                    for name in layers
                    if resources[name].get("Metadata", {}).get("BuildMethod") == "makefile"
                ),
                environment={name: _plain_value(name, value, template) for name, value in variables.items()},
                http=any(event.get("Type") == "HttpApi" for event in properties.get("Events", {}).values()),
                clients=_clients(resources, properties),
            )
        )
    return found


def _isolated_environment(extra_path: list[Path], variables: dict[str, str]) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "PYTHON"))}
    env.update(variables)
    env.update(
        {
            "PYTHONPATH": os.pathsep.join(str(path) for path in extra_path),
            "PYTHONDONTWRITEBYTECODE": "1",
            "AWS_DEFAULT_REGION": "eu-west-3",
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "POWERTOOLS_TRACE_DISABLED": "true",
        }
    )
    return env


@dataclass(frozen=True)
class ImportCase:
    statement: str
    module: str | None
    extra_path: list[Path]
    variables: dict[str, str]


@dataclass(frozen=True)
class ImportRun:
    wall_s: float
    cpu_s: float  # user + system time of the process: what a loaded, shared machine barely changes
    cumulative_s: float
    direct_imports_s: dict[str, float]


def _parse_importtime(stderr: str, module: str | None) -> tuple[float, dict[str, float]]:
    """Cumulative seconds of top-level ``module`` and of each module it imported directly.

    importtime lists children before their parent, one indentation step (two spaces) deeper.
    """
    children: dict[str, float] = {}
    for line in stderr.splitlines():
        match = _IMPORTTIME_LINE.match(line)
        if not match:
            continue
        cumulative, depth, name = int(match.group(2)) / 1e6, len(match.group(3)), match.group(4)
        if depth == 1 and name == module:
            return cumulative, children
        if depth == 1:
            children = {}
        elif depth == 3:
            children[name] = cumulative
    return 0.0, {}


def measure_import(case: ImportCase) -> ImportRun:
    cwd = case.extra_path[0] if case.extra_path else REPO_ROOT
    before = getrusage(RUSAGE_CHILDREN)
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", case.statement],
        cwd=cwd,
        env=_isolated_environment(case.extra_path, case.variables),
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    after = getrusage(RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if completed.returncode != 0:
        last_line = completed.stderr.strip().splitlines()[-1:]
        raise RuntimeError(f"`{case.statement}` failed in {cwd.name}: {last_line}")
    cumulative, children = _parse_importtime(completed.stderr, case.module)
    return ImportRun(wall, cpu, cumulative, children)


def median_imports(cases: dict[str, ImportCase]) -> dict[str, ImportRun]:
    """The median run of each case over IMPORT_RUNS rounds, each round running every case once: a load
    that drifts during the bench weighs on every case alike, so their ratios hold."""
    runs: dict[str, list[ImportRun]] = {name: [] for name in cases}
    for _ in range(IMPORT_RUNS):
        for name, case in cases.items():
            runs[name].append(measure_import(case))
    return {name: _median(found) for name, found in runs.items()}


def _median(runs: list[ImportRun]) -> ImportRun:
    names = set().union(*(run.direct_imports_s for run in runs))
    return ImportRun(
        statistics.median(run.wall_s for run in runs),
        statistics.median(run.cpu_s for run in runs),
        statistics.median(run.cumulative_s for run in runs),
        {name: statistics.median(run.direct_imports_s.get(name, 0.0) for run in runs) for name in names},
    )


# An HTTP function's cold start is judged against a process that only imports boto3 (what any function
# pays): at most this many times its CPU time.
HTTP_COLD_START_TARGET = 1.5


@contextmanager
def packaged(functions: list[FunctionImport], *, bytecode: bool) -> Iterator[dict[Path, Path]]:
    """Copies of the functions' code and layer directories, as SAM packages them. A layer built by its
    own Makefile is built by that Makefile's ``package`` target (its code as the layer ships it, here
    compiled to bytecode; its dependencies are the development environment's). Other directories are
    copied without the bytecode a local run may have left (``__pycache__``): SAM's Python builder ships
    none, so their modules are compiled on import as in Lambda, whose package is read-only. With
    ``bytecode``, every copy is compiled beforehand (what shipping ``.pyc`` files everywhere would give).
    Returns each source directory's copy."""
    built = set().union(*(f.makefile_layers for f in functions))
    sources = sorted({d for f in functions for d in (f.code_dir, *f.layer_dirs)})
    with TemporaryDirectory(prefix="salon-bench-") as root:
        copies: dict[Path, Path] = {}
        for index, source in enumerate(sources):
            copy = Path(root) / f"{index}-{source.name}"
            if source in built:
                copy = _built_layer(source, copy)
            else:
                ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
                shutil.copytree(source, copy, ignore=ignore)
            if bytecode:
                compileall.compile_dir(copy, quiet=1)
            copies[source] = copy
        yield copies


def _built_layer(source: Path, artifacts: Path) -> Path:
    """The layer's code as its Makefile builds it for SAM (``python/`` of the artifacts directory)."""
    make = ["make", "--quiet", "-f", str(source / "Makefile"), "package", f"ARTIFACTS_DIR={artifacts}"]
    subprocess.run([*make, f"PYTHON={sys.executable}"], check=True, capture_output=True)
    return artifacts / "python"


def _case(function: FunctionImport, copies: dict[Path, Path], *, clients: bool = False) -> ImportCase:
    created = "; ".join(("import boto3", *function.clients)) if clients else ""
    return ImportCase(
        f"import {function.module}" + (f"; {created}" if created else ""),
        function.module,
        [copies[function.code_dir], *(copies[d] for d in function.layer_dirs)],
        function.environment,
    )


def _clients_only(function: FunctionImport) -> ImportCase:
    return ImportCase("; ".join(("import boto3", *function.clients)), "boto3", [], {})


# The register function's cold request: a fresh process imports the handler, then serves one request as
# far as its first AWS call (its clients created as in Lambda), which botocore refuses at once: no
# network in the figure. What a lazily bound route defers to its first request is counted here.
FIRST_REQUESTS: dict[str, dict[str, Any]] = {
    "GET /health": {},
    "GET /events/{event_id}/form": {"pathParameters": {"event_id": "bench-event"}},
    "POST /events/{event_id}/registrations": {
        "pathParameters": {"event_id": "bench-event"},
        "headers": {"content-type": "application/json"},
        "body": json.dumps(examples.REGISTRATION),
    },
}
_REFUSING_AWS = """
import botocore.client, botocore.exceptions
calls = []
def refused(*args, **kwargs):
    calls.append(args[1])
    raise botocore.exceptions.EndpointConnectionError(endpoint_url="https://refused.invalid")
botocore.client.BaseClient._make_api_call = refused
"""


def _first_request_case(function: FunctionImport, copies: dict[Path, Path], key: str) -> ImportCase:
    parameters = FIRST_REQUESTS[key].get("pathParameters", {})
    raw_path = BY_KEY[key].path.format(**parameters)
    event = {"routeKey": key, "rawPath": raw_path, "requestContext": {"requestId": "bench"}}
    statement = (
        f"import {function.module}{_REFUSING_AWS}"
        f"response = {function.module}.handler({ {**event, **FIRST_REQUESTS[key]}!r}, None)\n"
        "assert calls or response['statusCode'] == 200, response  # it reached AWS, or answered"
    )
    return replace(_case(function, copies), statement=statement)


def import_section() -> list[str]:
    functions = functions_in_template(load_template())
    http = [f for f in functions if f.http]
    calling = [f for f in http if f.clients]
    register = next(f for f in functions if f.logical_id == REGISTER)
    with packaged(functions, bytecode=False) as copies, packaged(http, bytecode=True) as compiled:
        runs = median_imports(
            {
                "bare": ImportCase("pass", None, [], {}),
                "json": ImportCase("import json", "json", [], {}),
                "boto3": ImportCase("import boto3", "boto3", [], {}),
                **{f.logical_id: _case(f, copies) for f in functions},
                **{f"{f.logical_id} (bytecode)": _case(f, compiled) for f in http},
                **{f"{f.logical_id} (clients)": _case(f, copies, clients=True) for f in calling},
                **{f"{f.logical_id} (boto3 + clients)": _clients_only(f) for f in calling},
                **{f"first {key}": _first_request_case(register, copies, key) for key in FIRST_REQUESTS},
            }
        )
    bare, json_baseline, boto3_baseline = runs["bare"], runs["json"], runs["boto3"]

    def ratio(run: ImportRun) -> float:
        return run.cpu_s / boto3_baseline.cpu_s

    lines = [
        f"## Cold import of each handler (median of {IMPORT_RUNS} rounds, `python -X importtime`)",
        "",
        "Each handler is imported from a copy of its code and layers as SAM packages them: the salon "
        "layer as its Makefile builds it (compiled to bytecode), the function's own code without bytecode "
        "(SAM's Python builder ships none: compiled on import, as in Lambda); the last column, for the "
        "HTTP functions, with the function's code compiled beforehand too. boto3 and the other libraries "
        "come with their bytecode. Ratios are "
        "of CPU time (user + system), which the load of a shared machine barely changes; each round runs "
        "every case once, so a drifting load weighs on all alike.",
        "",
        "| module | process wall s | process CPU s | x `import boto3` | target | import ms (cumulative) "
        "| x `import json` | x `import boto3`, all code compiled |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        f"| bare interpreter | {bare.wall_s:.3f} | {bare.cpu_s:.3f} | {ratio(bare):.2f} | - | - | - | - |",
        f"| `json` (baseline) | {json_baseline.wall_s:.3f} | {json_baseline.cpu_s:.3f} "
        f"| {ratio(json_baseline):.2f} | - | {json_baseline.cumulative_s * 1000:.1f} | 1 | - |",
        f"| `boto3` (baseline) | {boto3_baseline.wall_s:.3f} | {boto3_baseline.cpu_s:.3f} | 1.00 | - "
        f"| {boto3_baseline.cumulative_s * 1000:.1f} "
        f"| {boto3_baseline.cumulative_s / json_baseline.cumulative_s:.0f} | - |",
    ]
    heaviest: list[str] = []
    verdicts: list[str] = []
    for function in functions:
        run = runs[function.logical_id]
        target = HTTP_COLD_START_TARGET if function.http else None
        shipped = runs.get(f"{function.logical_id} (bytecode)")
        shipped_ratio = f"{ratio(shipped):.2f}" if shipped else "-"
        lines.append(
            f"| {function.logical_id} (`{function.module}`) | {run.wall_s:.3f} | {run.cpu_s:.3f} "
            f"| {ratio(run):.2f} | {f'<= {target}' if target else '-'} | {run.cumulative_s * 1000:.1f} "
            f"| {run.cumulative_s / json_baseline.cumulative_s:.0f} | {shipped_ratio} |"
        )
        if target:
            verdict = "met" if ratio(run) <= target else "MISSED"
            ready = ""
            if function.clients:
                with_clients = runs[f"{function.logical_id} (clients)"].cpu_s
                ready_ratio = with_clients / runs[f"{function.logical_id} (boto3 + clients)"].cpu_s
                ready = f"; ready to call AWS (its clients created on both sides): {ready_ratio:.2f}"
            verdicts.append(
                f"- {function.logical_id}: {ratio(run):.2f} x `import boto3` (target <= {target}): "
                f"**{verdict}** ({shipped_ratio} with all code compiled){ready}"
            )
        top = sorted(run.direct_imports_s.items(), key=lambda item: -item[1])[:6]
        heaviest.append(
            f"- {function.logical_id}: "
            + ", ".join(f"`{name}` {seconds * 1000:.0f} ms" for name, seconds in top)
        )
    return [
        *lines,
        "",
        "Cold-start targets of the HTTP functions (process CPU time, median, against a process that only "
        'imports boto3). "Ready to call AWS": the handler\'s import then the clients its role lets it use '
        "(which it creates on its first request), against a process that imports boto3 and creates the "
        "same clients:",
        "",
        *verdicts,
        "",
        "Heaviest direct imports (cumulative, median):",
        "",
        *heaviest,
        "",
        f"{REGISTER}'s cold request: a fresh process imports the handler, then serves one request as far "
        "as its first AWS call, which botocore refuses at once (process CPU time, median, x `import boto3`; "
        "the import alone is the table's figure):",
        "",
        *(
            f"- `{key}`: {ratio(runs[f'first {key}']):.2f} (the import {ratio(runs[REGISTER]):.2f}, then the "
            f"request {ratio(runs[f'first {key}']) - ratio(runs[REGISTER]):.2f})"
            for key in FIRST_REQUESTS
        ),
    ]


# --- (b) through the gateway ---------------------------------------------------------------------------


class AwsCallCounter:
    """Counts the AWS API calls every botocore client of this process makes (handlers run in-process).

    Hooking the one method all clients go through catches clients created before the count starts
    (handlers keep theirs across invocations), which a per-session event hook would miss.
    """

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self._lock = threading.Lock()

    @contextmanager
    def installed(self) -> Iterator[None]:
        from botocore.client import BaseClient

        original: Callable[..., Any] = BaseClient._make_api_call
        counter = self

        def counting(client: Any, operation_name: str, api_params: Any) -> Any:
            name = f"{client.meta.service_model.service_name}:{operation_name}"
            table = _table_of(api_params)
            with counter._lock:
                counter.calls[f"{name} ({table})" if table else name] += 1
            return original(client, operation_name, api_params)

        BaseClient._make_api_call = counting
        try:
            yield
        finally:
            BaseClient._make_api_call = original

    def total(self, service: str) -> int:
        return sum(n for name, n in self.calls.items() if name.startswith(service + ":"))

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()


def _table_of(api_params: Any) -> str:
    """The stack's logical table name a DynamoDB call targets ("salon-SalonTable-XYZ" -> "SalonTable")."""
    if not isinstance(api_params, dict):
        return ""
    names = {str(api_params.get("TableName") or "")}
    for item in api_params.get("TransactItems", []):
        names.update(str(op.get("TableName", "")) for op in item.values())
    names.discard("")
    return "+".join(sorted(name.split("-")[1] if name.count("-") >= 2 else name for name in names))


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


@dataclass(frozen=True)
class Latencies:
    label: str
    seconds: list[float]
    wall_s: float

    @property
    def per_second(self) -> float:
        return len(self.seconds) / self.wall_s

    def p(self, fraction: float) -> float:
        return _percentile(self.seconds, fraction)


def gateway_section() -> list[str]:
    from localcloud import LocalCloud

    counter = AwsCallCounter()
    with LocalCloud.start(gateway_port=0) as cloud, counter.installed():
        run_id = secrets.token_hex(3)
        gateway = ApiClient(cloud.gateway_url)
        organizer = make_user(cloud, f"bench.{run_id}@salon-bench.example.fr", ORGANIZER, f"t-bench-{run_id}")
        event_id = set_up_event(gateway.as_user(organizer.token), datetime.now(UTC))
        public = gateway.as_user(None)
        public.health()  # warm the handler module, like any second invocation of a warm Lambda

        health_latencies: list[float] = []
        started = time.perf_counter()
        for _ in range(HEALTH_CALLS):
            health_latencies.append(public.request("GET", "/health").elapsed_s)
        health = Latencies("GET /health (baseline)", health_latencies, time.perf_counter() - started)

        companies = generate_companies(BENCH_SEED, REGISTRATIONS, domain_label=f"bench{run_id}")
        payloads = [registration_payload(company) for company in companies]
        counter.reset()
        register_latencies: list[float] = []
        started = time.perf_counter()
        for index, payload in enumerate(payloads):
            key = f"bench-{run_id}-{index}"
            register_latencies.append(public.register(event_id, payload, idempotency_key=key).elapsed_s)
        register = Latencies(
            "POST /events/{id}/registrations", register_latencies, time.perf_counter() - started
        )
        calls = Counter(counter.calls)

    participants = sum(len(company.participants) for company in companies)
    lines = [
        f"## Through the local gateway ({REGISTRATIONS} registrations, {participants} participants)",
        "",
        "One client, sequential requests, warm handler.",
        "",
        "| route | requests | per second | p50 ms | p95 ms | p50 x health | p95 x health |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in (health, register):
        lines.append(
            f"| {row.label} | {len(row.seconds)} | {row.per_second:.1f} | {row.p(0.5) * 1000:.1f} "
            f"| {row.p(0.95) * 1000:.1f} | {row.p(0.5) / health.p(0.5):.1f} "
            f"| {row.p(0.95) / health.p(0.95):.1f} |"
        )
    dynamodb = sum(n for name, n in calls.items() if name.startswith("dynamodb:"))
    tenth = REGISTRATIONS // 10
    first, last = register.seconds[:tenth], register.seconds[-tenth:]
    lines += [
        "",
        f"Registration p50 over the first {tenth}: {_percentile(first, 0.5) * 1000:.0f} ms; over the last "
        f"{tenth}: {_percentile(last, 0.5) * 1000:.0f} ms (growth = costs that scale with the table, mostly "
        "moto's).",
        "",
        f"DynamoDB API calls per registration: **{dynamodb / REGISTRATIONS:.2f}** "
        f"({dynamodb} calls counted on every botocore client of the process during the registrations).",
        "",
        "| AWS call during registrations (table) | total | per registration |",
        "|---|---:|---:|",
        *(
            f"| `{name}` | {n} | {n / REGISTRATIONS:.2f} |"
            for name, n in sorted(calls.items(), key=lambda item: (-item[1], item[0]))
        ),
    ]
    return lines


# --- (c) audited listing ------------------------------------------------------------------------------


def _with_participants(company: DemoCompany, count: int) -> DemoCompany:
    """The company with ``count`` participants (copies of its first, each with its own e-mail)."""
    first = company.participants[0]
    people = tuple(replace(first, email=f"p{i}.{first.email}") for i in range(count))
    return replace(company, participants=people)


def audit_listing_section() -> list[str]:
    from localcloud import LocalCloud

    with LocalCloud.start(gateway_port=0) as cloud:
        run_id = secrets.token_hex(3)
        tenant_id = f"t-audit-{run_id}"
        gateway = ApiClient(cloud.gateway_url, timeout_s=300.0)
        organizer = make_user(cloud, f"audit.{run_id}@salon-bench.example.fr", ORGANIZER, tenant_id)
        staff = gateway.as_user(organizer.token)
        event_id = set_up_event(staff, datetime.now(UTC))
        public = gateway.as_user(None)
        started = time.perf_counter()
        for company in generate_companies(BENCH_SEED, AUDIT_REGISTRATIONS, domain_label=f"audit{run_id}"):
            public.register(event_id, registration_payload(_with_participants(company, AUDIT_PARTICIPANTS)))
        seeding = time.perf_counter() - started
        audit_table = cloud.resources.audit_table_name
        rows: list[str] = []
        for limit in AUDIT_PAGES:
            items_before, bytes_before, _ = audit_bytes(audit_table, tenant_id)
            response = staff.request("GET", f"/events/{event_id}/registrations", params={"limit": str(limit)})
            items_after, bytes_after, largest = audit_bytes(audit_table, tenant_id)
            subjects = limit * (1 + AUDIT_PARTICIPANTS)
            written = bytes_after - bytes_before
            rows.append(
                f"| {limit} | {len(response.json['items'])} | {subjects} | {response.elapsed_s:.2f} "
                f"| {items_after - items_before} | {written / 1024:.0f} | {written / subjects:.0f} "
                f"| {largest / 1024:.1f} |"
            )
    return [
        f"## Audited listing ({AUDIT_REGISTRATIONS} registrations of {AUDIT_PARTICIPANTS} participants, "
        "one event)",
        "",
        f"Registrations stored through the gateway in {seeding:.0f} s; then one "
        "`GET /events/{id}/registrations` per page size, warm handler. Audit bytes are read back from the "
        "audit table (sum of DynamoDB item sizes of the tenant's trail, before and after the call).",
        "",
        "| limit | registrations | subjects | wall s | audit items written | audit KB written "
        "| bytes per subject | largest audit item KB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
        *rows,
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m localcloud.bench", description=__doc__)
    parser.add_argument(
        "--imports-only", action="store_true", help="measure the cold imports only (no local cloud)"
    )
    options = parser.parse_args(argv)
    quiet_handler_logs()
    from localcloud import (
        bench_checkout,  # it builds on this module's latencies
        bench_dsar,  # it builds on this module's counters
    )
    from localcloud.bench_requests import requests_section  # it builds on this module's counters

    started = time.perf_counter()
    sections = [
        "# Salon benchmarks",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs.",
        "",
        *import_section(),
        "",
        *bench_invoices.section(),
        *(
            []
            if options.imports_only
            else [
                "",
                *gateway_section(),
                "",
                *audit_listing_section(),
                "",
                *bench_search.section(),
                "",
                *bench_indexing.section(),
                "",
                *bench_dsar.section(),
                "",
                *requests_section(),
                "",
                *bench_checkout.section(),
                *bench_notify.section(),
            ]
        ),
        "",
        f"Total bench time: {time.perf_counter() - started:.0f} s.",
    ]
    markdown = "\n".join(sections) + "\n"
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_FILE.write_text(markdown, encoding="utf-8")
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
