"""Least privilege, checked: the AWS actions a function's code needs against those its role grants.

A function's code is what its handler imports, transitively, from its CodeUri directory and from
the layers it carries: a layer module the function never imports needs nothing from its role. A
module a handler binds lazily (``router.lazy(key, "operations.form")``) is imported too, on a request.
The code *calls* an action when it creates a client (or resource) of the action's service and calls
the operation's snake_case method: ``cognito-idp:AdminCreateUser`` is ``.admin_create_user(``.
What no method call shows is listed below, each entry with the reason it is needed.

The scan is textual: a project method named like an operation of a service the code has a client
of (a service's ``.query(``) counts as a call of it. That errs towards keeping a grant, never
towards missing one.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import botocore.session
from botocore import xform_name

REPO_ROOT = Path(__file__).resolve().parents[2]

# ---------------------------------------------------------------- what the scanner cannot see
# Operations whose IAM action is not their own name.
ACTION_OF_OPERATION: dict[str, tuple[str, ...]] = {
    # Transactions have no action of their own; each member needs its item action (see below).
    "dynamodb:TransactWriteItems": (),
    "dynamodb:TransactGetItems": ("dynamodb:GetItem",),
    "lambda:Invoke": ("lambda:InvokeFunction",),
    "s3:HeadObject": ("s3:GetObject",),
    "s3:ListObjectsV2": ("s3:ListBucket",),
    "s3:DeleteObjects": ("s3:DeleteObject",),
    "sqs:SendMessageBatch": ("sqs:SendMessage",),
}
# TransactWriteItems members, found as the keys of the items the calling module builds.
TRANSACTION_MEMBERS: dict[str, str] = {
    "Put": "dynamodb:PutItem",
    "Update": "dynamodb:UpdateItem",
    "Delete": "dynamodb:DeleteItem",
    "ConditionCheck": "dynamodb:ConditionCheckItem",
}
# Code whose AWS calls happen inside a library, or whose behaviour depends on an extra action.
IMPLIED_BY_CODE: tuple[tuple[re.Pattern[str], tuple[str, ...], str], ...] = (
    (
        re.compile(r"\bDynamoDBPersistenceLayer\("),
        ("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"),
        "Powertools' idempotency records",
    ),
    (
        # opensearch-py signs each HTTP call with the role (salon.matchmaking.adapters.opensearch_index):
        # HEAD (index exists), PUT (create it), POST (bulk, search, delete by query), GET (search).
        re.compile(r"\bAWSV4SignerAuth\("),
        ("es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost", "es:ESHttpPut"),
        "the catalogue's OpenSearch requests, signed with the role",
    ),
    (
        re.compile(r"\.generate_presigned_url\(\s*\"get_object\""),
        ("s3:GetObject",),
        "a presigned download URL, signed with the role's rights (the download is the role's GetObject)",
    ),
    (
        re.compile(r"\.batch_writer\("),
        ("dynamodb:BatchWriteItem",),
        "boto3's batch writer sends its puts and deletes with BatchWriteItem",
    ),
    (
        re.compile(r"\.create_schedule\("),
        ("iam:PassRole",),
        "a schedule's target role, passed to EventBridge Scheduler",
    ),
    (
        re.compile(r"\.head_object\("),
        ("s3:ListBucket",),
        "telling a missing object (404) from a forbidden one (S3 says 403 to whoever may not list)",
    ),
    (
        re.compile(r"\.exceptions\.NoSuchKey\b"),
        ("s3:ListBucket",),
        "telling NoSuchKey (S3 says AccessDenied to whoever may not list the bucket)",
    ),
)
# The tables and the bucket are encrypted with the customer key DataKey: DynamoDB and S3 call KMS
# with the caller's rights (the template says which call needs what).
IMPLIED_BY_SERVICE: dict[str, tuple[str, ...]] = {
    "dynamodb": ("kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"),
}
IMPLIED_BY_ACTION: dict[str, tuple[str, ...]] = {
    "secretsmanager:GetSecretValue": ("kms:Decrypt",),  # the person key secret is under DataKey too
    "s3:GetObject": ("kms:Decrypt",),
    "s3:PutObject": ("kms:GenerateDataKey",),
}
# Lambda's poller acts with the function's role for its event source mappings: it reads a table's
# stream (encrypted with the data key like the table), and sends a batch it gave up on to the
# mapping's OnFailure queue.
STREAM_POLLER = (
    "dynamodb:DescribeStream",
    "dynamodb:GetRecords",
    "dynamodb:GetShardIterator",
    "dynamodb:ListStreams",
    "kms:Decrypt",
)
ON_FAILURE_QUEUE = ("sqs:SendMessage",)
QUEUE_POLLER = ("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes")
OWN_LOGS = ("logs:CreateLogStream", "logs:PutLogEvents")  # into the function's own log group
TRACING = ("xray:PutTraceSegments", "xray:PutTelemetryRecords")  # Tracing: Active

_CLIENT = re.compile(r"""(?:client|resource)\(\s*["']([a-z0-9-]+)["']""")
_CALL = re.compile(r"\.([a-z][a-z0-9_]*)\(")
_MEMBER = re.compile(r"""["'](Put|Update|Delete|ConditionCheck)["']\s*:""")


@dataclass(frozen=True)
class Source:
    module: str
    path: Path

    @property
    def name(self) -> str:
        return (
            self.path.relative_to(REPO_ROOT).as_posix()
            if self.path.is_relative_to(REPO_ROOT)
            else str(self.path)
        )


# ---------------------------------------------------------------- the function's code
def function_sources(template: Mapping[str, Any], function_id: str) -> list[Source]:
    """The modules the handler of a translated function imports, transitively, from the repo."""
    resources = template["Resources"]
    properties = resources[function_id]["Properties"]
    roots = [REPO_ROOT / properties["Code"]["S3Key"]]
    roots += [
        REPO_ROOT / resources[layer["Ref"]]["Properties"]["Content"]["S3Key"]
        for layer in properties.get("Layers", [])
    ]
    return reachable(properties["Handler"].rpartition(".")[0], roots)


def reachable(entry_module: str, roots: list[Path]) -> list[Source]:
    found: dict[str, Source] = {}
    pending = [entry_module]
    while pending:
        module = pending.pop()
        path = _module_path(module, roots)
        if module in found or path is None:  # already seen, or not the repo's (stdlib, libraries)
            continue
        found[module] = Source(module, path)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        parents = module.split(".")
        pending += [".".join(parents[:i]) for i in range(1, len(parents))]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            pending += _imported(node, package)
    return sorted(found.values(), key=lambda source: source.name)


def _module_path(module: str, roots: list[Path]) -> Path | None:
    for root in roots:
        base = root.joinpath(*module.split("."))
        for path in (base / "__init__.py", base.with_suffix(".py")):
            if path.is_file():
                return path
    return None


def _imported(node: ast.AST, package: str) -> list[str]:
    lazy = _lazily_bound(node)
    if lazy is not None:  # named relative to the handler's package
        return [f"{package}.{lazy}" if package else lazy]
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = node.module or ""
    if node.level:
        parts = package.split(".")
        parts = parts[: len(parts) - node.level + 1]
        base = ".".join([*parts, *([node.module] if node.module else [])])
    # `from a import b` imports a.b when b is a module; a missing one is skipped.
    return [base, *(f"{base}.{alias.name}" for alias in node.names)]


def _lazily_bound(node: ast.AST) -> str | None:
    """The module of ``<router>.lazy("METHOD /path", "module")`` (salon.kernel.http.Router.lazy)."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "lazy"):
        return None
    match node.args:
        case [ast.Constant(value=str()), ast.Constant(value=str(module))]:
            return module
    return None


# ---------------------------------------------------------------- what the code needs
@cache
def _service(service: str) -> tuple[str, dict[str, str]]:
    """The IAM prefix of a boto3 service and its operations by method name."""
    model = botocore.session.get_session().get_service_model(service)
    return model.signing_name, {xform_name(operation): operation for operation in model.operation_names}


def needed_actions(sources: list[Source], *, tracing: bool) -> dict[str, str]:
    """Every action the code needs -> where or why (the first place found)."""
    needs: dict[str, str] = {action: "writing its own logs" for action in OWN_LOGS}
    if tracing:
        needs.update({action: "Tracing: Active" for action in TRACING})
    texts = {source: source.path.read_text(encoding="utf-8") for source in sources}
    services = {service for text in texts.values() for service in _CLIENT.findall(text)}
    for source, text in texts.items():
        for number, line in enumerate(text.splitlines(), start=1):
            for method in _CALL.findall(line):
                for service in sorted(services):
                    for action in _actions_of_call(service, method, text):
                        needs.setdefault(action, f"{source.name}:{number} calls .{method}(")
        for pattern, actions, why in IMPLIED_BY_CODE:
            if pattern.search(text):
                for action in actions:
                    needs.setdefault(action, f"{source.name}: {why}")
    for action in list(needs):
        service = action.partition(":")[0]
        for implied in IMPLIED_BY_SERVICE.get(service, ()) + IMPLIED_BY_ACTION.get(action, ()):
            needs.setdefault(implied, f"{action} on a resource encrypted with the data key")
    return needs


def _actions_of_call(service: str, method: str, module_text: str) -> tuple[str, ...]:
    prefix, operations = _service(service)
    if method not in operations:
        return ()
    action = f"{prefix}:{operations[method]}"
    if action == "dynamodb:TransactWriteItems":
        return tuple(TRANSACTION_MEMBERS[member] for member in sorted(set(_MEMBER.findall(module_text))))
    return ACTION_OF_OPERATION.get(action, (action,))


def mapping_needs(template: Mapping[str, Any], function_id: str) -> dict[str, str]:
    """The actions the function's event source mappings need -> which mapping needs them."""
    needs: dict[str, str] = {}
    for name, resource in template["Resources"].items():
        properties = resource.get("Properties", {})
        if resource["Type"] != "AWS::Lambda::EventSourceMapping" or properties.get("FunctionName") != {
            "Ref": function_id
        }:
            continue
        source = properties["EventSourceArn"]
        if isinstance(source, dict) and source.get("Fn::GetAtt", ["", ""])[1] == "StreamArn":
            for action in STREAM_POLLER:
                needs.setdefault(action, f"event source mapping {name} reads a table stream")
        if isinstance(source, dict) and source.get("Fn::GetAtt", ["", ""])[1] == "Arn":
            for action in QUEUE_POLLER:
                needs.setdefault(action, f"event source mapping {name} reads a queue")
        if properties.get("DestinationConfig", {}).get("OnFailure"):
            for action in ON_FAILURE_QUEUE:
                needs.setdefault(action, f"event source mapping {name} has an OnFailure queue")
    return needs


# ---------------------------------------------------------------- what the role grants
def role_of(template: Mapping[str, Any], function_id: str) -> str:
    role = template["Resources"][function_id]["Properties"]["Role"]
    return str(role["Fn::GetAtt"][0])


def statements(role: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        statement
        for policy in role.get("Properties", {}).get("Policies", [])
        for statement in _as_list(policy["PolicyDocument"]["Statement"])
    ]


def granted_actions(template: Mapping[str, Any], role_id: str) -> dict[str, str]:
    """Every action the role allows -> the Sid of the (first) statement allowing it."""
    granted: dict[str, str] = {}
    for statement in statements(template["Resources"][role_id]):
        if statement.get("Effect") == "Allow":
            for action in _as_list(statement.get("Action", [])):
                granted.setdefault(str(action), str(statement.get("Sid", "(no Sid)")))
    return granted


def wildcard_grants(template: Mapping[str, Any]) -> list[str]:
    """Every wildcard action (`*`, `s3:*`, `s3:Get*`) or NotAction of every role."""
    found: list[str] = []
    for role_id, resource in template["Resources"].items():
        if resource["Type"] != "AWS::IAM::Role":
            continue
        for statement in statements(resource):
            sid = statement.get("Sid", "(no Sid)")
            if "NotAction" in statement:
                found.append(f"role {role_id} statement {sid} uses NotAction: name the allowed actions")
            for action in _as_list(statement.get("Action", [])):
                if "*" in str(action):
                    found.append(f"role {role_id} statement {sid} grants the wildcard action {action}")
    return found


def least_privilege_problems(template: Mapping[str, Any], function_id: str) -> list[str]:
    """What the function's role grants that its code does not need, and the reverse."""
    role_id = role_of(template, function_id)
    tracing = template["Resources"][function_id]["Properties"].get("TracingConfig", {}).get("Mode")
    needs = needed_actions(function_sources(template, function_id), tracing=tracing == "Active")
    needs = {**mapping_needs(template, function_id), **needs}
    granted = granted_actions(template, role_id)
    problems = [
        f"{function_id}: role {role_id} grants {action} (statement {sid}), which no code of the function "
        "needs: remove it (or, if a library calls it, list it in tests/unit/iam_scan.py with the reason)"
        for action, sid in sorted(granted.items())
        if action not in needs and "*" not in action
    ]
    problems += [
        f"{function_id}: {why} -> needs {action}, which role {role_id} does not grant"
        for action, why in sorted(needs.items())
        if action not in granted
    ]
    return problems


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
