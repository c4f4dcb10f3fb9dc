"""Least privilege: every function's role grants exactly the actions its code needs (iam_scan).

Read on the translated template, i.e. the roles CloudFormation will create. A failure names the
function, the action and where the code needs it (or the statement that grants it for nothing).
"""

from __future__ import annotations

import copy
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from iam_scan import (
    function_sources,
    least_privilege_problems,
    needed_actions,
    reachable,
    role_of,
    statements,
    wildcard_grants,
)
from localcloud.template import load_template, translate


@cache
def cfn() -> dict[str, Any]:
    return translate(load_template())


def functions() -> list[str]:
    return [name for name, r in cfn()["Resources"].items() if r["Type"] == "AWS::Lambda::Function"]


def role_statements(template: dict[str, Any], role_id: str) -> list[dict[str, Any]]:
    return statements(template["Resources"][role_id])


def actions(statement: dict[str, Any]) -> list[str]:
    action = statement["Action"]
    return list(action) if isinstance(action, list) else [action]


def test_no_role_grants_a_wildcard_action() -> None:
    assert wildcard_grants(cfn()) == []


@pytest.mark.parametrize("function_id", functions())
def test_the_role_grants_exactly_what_the_code_needs(function_id: str) -> None:
    assert least_privilege_problems(cfn(), function_id) == []


def test_every_function_has_a_role_of_its_own() -> None:
    roles = [role_of(cfn(), function_id) for function_id in functions()]

    assert len(set(roles)) == len(roles)
    assert {"RegisterFunction", "ScheduleFunction", "OutboxRelayFunction", "DocsFunction"} <= set(functions())
    assert all(cfn()["Resources"][role]["Type"] == "AWS::IAM::Role" for role in roles)


def test_every_grant_is_an_inline_statement_the_check_can_read() -> None:
    resources = cfn()["Resources"]

    assert [
        r for r in resources.values() if r["Type"] in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")
    ] == []
    assert [
        n
        for n, r in resources.items()
        if r["Type"] == "AWS::IAM::Role" and "ManagedPolicyArns" in r["Properties"]
    ] == []


# Actions that have no resource to name: X-Ray, an SMS published to a phone number (no topic), and
# the SES account's sending quota (GetAccount), the listing of a schedule group's schedules.
UNSCOPED = {
    "NotifyFunctionRole": ("sns:Publish", "ses:GetAccount", "scheduler:ListSchedules"),
    "NotifyApiFunctionRole": ("sns:Publish", "ses:GetAccount"),
    "ReminderFunctionRole": ("sns:Publish", "ses:GetAccount"),
    "ClosureCertifyFunctionRole": ("ses:GetAccount",),
}


@pytest.mark.parametrize("function_id", functions())
def test_only_xray_is_granted_on_every_resource(function_id: str) -> None:
    role = role_of(cfn(), function_id)
    for statement in role_statements(cfn(), role):
        if statement["Resource"] == "*":
            assert all(
                action.startswith("xray:") or action in UNSCOPED.get(role, ())
                for action in actions(statement)
            ), statement["Sid"]


@pytest.mark.parametrize("function_id", functions())
def test_the_data_key_is_usable_only_through_a_service(function_id: str) -> None:
    granted = role_statements(cfn(), role_of(cfn(), function_id))
    kms = [s for s in granted if any(a.startswith("kms:") for a in actions(s))]
    # The encrypted stores are the tables and the bucket (the user pool's trigger touches neither).
    encrypted = any(a.startswith(("dynamodb:", "s3:")) for s in granted for a in actions(s))

    assert bool(kms) == encrypted
    for statement in kms:
        assert statement["Resource"] == {"Fn::GetAtt": ["DataKey", "Arn"]}
        assert "kms:ViaService" in statement["Condition"]["StringEquals"]


@pytest.mark.parametrize("function_id", functions())
def test_logs_go_to_the_function_s_own_log_group_only(function_id: str) -> None:
    log_group = cfn()["Resources"][function_id]["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]
    logs = [
        s
        for s in role_statements(cfn(), role_of(cfn(), function_id))
        if any(a.startswith("logs:") for a in actions(s))
    ]

    assert [s["Resource"] for s in logs] == [{"Fn::GetAtt": [log_group, "Arn"]}]


@pytest.mark.parametrize(
    ("role", "tables"),
    [
        ("RegisterFunctionRole", ("SalonTable",)),
        ("ConfigurationFunctionRole", ("SalonTable",)),
        ("ReviewFunctionRole", ("SalonTable", "AuditTable")),  # the only one reading the audit trail
    ],
)
def test_registration_functions_query_their_tables_and_indexes_only(
    role: str, tables: tuple[str, ...]
) -> None:
    queried = [s["Resource"] for s in role_statements(cfn(), role) if "dynamodb:Query" in actions(s)]

    assert sorted(queried, key=str) == sorted(
        (
            {"Fn::GetAtt": [table, "Arn"]} if index == "" else {"Fn::Sub": f"${{{table}.Arn}}/index/*"}
            for table in tables
            for index in ("", "/index/*")
        ),
        key=str,
    )


def test_of_the_registration_functions_review_and_the_consent_link_alone_write_the_audit_trail() -> None:
    writers = {
        role
        for role in ("RegisterFunctionRole", "ConfigurationFunctionRole", "ReviewFunctionRole")
        for s in role_statements(cfn(), role)
        if "dynamodb:PutItem" in actions(s) and "AuditTable" in str(s["Resource"])
    }

    # Register: only the lifting of a tombstone, in the transaction of the fresh consent (POST /consents).
    assert writers == {"ReviewFunctionRole", "RegisterFunctionRole"}


def test_the_public_calendar_feed_only_reads_the_table() -> None:
    granted = role_statements(cfn(), "CalendarFeedFunctionRole")
    dynamodb = sorted({a for s in granted for a in actions(s) if a.startswith("dynamodb:")})

    assert dynamodb == ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:Query"]
    assert not [a for s in granted for a in actions(s) if a.split(":")[0] in ("s3", "states", "events")]


# ---------------------------------------------------------------- the check can fail
def _with_statement(role_id: str, statement: dict[str, Any]) -> dict[str, Any]:
    template = copy.deepcopy(cfn())
    template["Resources"][role_id]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"].append(
        statement
    )
    return template


@pytest.mark.parametrize("action", ["*", "dynamodb:*", "s3:Get*"])
def test_a_wildcard_action_is_reported(action: str) -> None:
    template = _with_statement(
        "ScheduleFunctionRole", {"Sid": "Broad", "Effect": "Allow", "Action": [action], "Resource": "*"}
    )

    assert wildcard_grants(template) == [
        f"role ScheduleFunctionRole statement Broad grants the wildcard action {action}"
    ]


def test_not_action_is_reported() -> None:
    template = _with_statement(
        "ScheduleFunctionRole", {"Sid": "AllBut", "Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}
    )

    assert wildcard_grants(template) == [
        "role ScheduleFunctionRole statement AllBut uses NotAction: name the allowed actions"
    ]


def test_an_action_no_code_calls_is_reported() -> None:
    statement = {
        "Sid": "Extra",
        "Effect": "Allow",
        "Action": ["cognito-idp:AdminDeleteUser", "sqs:SendMessage"],
        "Resource": "*",
    }
    template = _with_statement("RegisterFunctionRole", statement)

    problems = least_privilege_problems(template, "RegisterFunction")

    assert len(problems) == 2
    assert problems[0].startswith(
        "RegisterFunction: role RegisterFunctionRole grants cognito-idp:AdminDeleteUser (statement Extra), "
        "which no code of the function needs"
    )
    assert "sqs:SendMessage (statement Extra)" in problems[1]


def test_an_action_of_a_layer_module_the_function_does_not_import_is_reported() -> None:
    # The schedule function carries the salon layer but imports none of its adapters.
    statement = {"Sid": "FromTheLayer", "Effect": "Allow", "Action": "events:PutEvents", "Resource": "*"}

    problems = least_privilege_problems(
        _with_statement("ScheduleFunctionRole", statement), "ScheduleFunction"
    )

    assert [p.split(" (")[0] for p in problems] == [
        "ScheduleFunction: role ScheduleFunctionRole grants events:PutEvents"
    ]


def test_an_action_the_code_calls_but_the_role_lacks_is_reported() -> None:
    template = copy.deepcopy(cfn())
    for statement in role_statements(template, "ReviewFunctionRole"):
        if "cognito-idp:AdminDisableUser" in actions(statement):
            statement["Action"].remove("cognito-idp:AdminDisableUser")

    problems = least_privilege_problems(template, "ReviewFunction")

    assert len(problems) == 1
    assert re.fullmatch(
        r"ReviewFunction: layers/salon/\S+/identity\.py:\d+ calls \.admin_disable_user\( -> needs "
        r"cognito-idp:AdminDisableUser, which role ReviewFunctionRole does not grant",
        problems[0],
    ), problems[0]


def test_an_implied_action_the_role_lacks_is_reported() -> None:
    template = copy.deepcopy(cfn())
    for statement in role_statements(template, "ScheduleFunctionRole"):
        if statement["Sid"] == "TellAMissingProblemDocument":
            statement["Action"] = "s3:GetObject"

    problems = least_privilege_problems(template, "ScheduleFunction")

    assert problems == [
        "ScheduleFunction: functions/schedule/app.py: telling NoSuchKey (S3 says AccessDenied to whoever "
        "may not list the bucket) -> needs s3:ListBucket, which role ScheduleFunctionRole does not grant"
    ]


# ---------------------------------------------------------------- the scanner
def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def test_the_scanner_follows_imports_and_reads_transaction_members(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "app.py": "from shop.store import save\n\ndef handler(event, context):\n    save(event)\n",
            "shop/__init__.py": "",
            "shop/store.py": (
                "import boto3\nfrom .notify import tell\n\n"
                "def save(event):\n"
                "    boto3.client('dynamodb').transact_write_items(\n"
                "        TransactItems=[{'Delete': event}, {'ConditionCheck': event}]\n    )\n"
                "    tell(event)\n"
            ),
            "shop/notify.py": (
                "class Bell:\n    def publish(self): ...\n\ndef tell(event):\n    Bell().publish()\n"
            ),
            "shop/unused.py": (
                "import boto3\nboto3.client('sqs').send_message(QueueUrl='q', MessageBody='')\n"
            ),
        },
    )
    sources = reachable("app", [tmp_path])

    assert [s.path.relative_to(tmp_path).as_posix() for s in sources] == [
        "app.py",
        "shop/__init__.py",
        "shop/notify.py",
        "shop/store.py",
    ]
    needs = needed_actions(sources, tracing=False)
    assert set(needs) == {
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "dynamodb:DeleteItem",  # transaction members, not TransactWriteItems (no such IAM action)
        "dynamodb:ConditionCheckItem",
        "kms:Decrypt",  # the tables are encrypted with the data key
        "kms:GenerateDataKey",
        "kms:DescribeKey",
    }  # no sns:Publish (no SNS client) and no sqs:SendMessage (module never imported)
    assert needs["dynamodb:DeleteItem"].endswith("shop/store.py:5 calls .transact_write_items(")


def test_a_registration_function_s_code_is_what_its_handler_imports() -> None:
    def sources(function: str) -> set[str]:
        return {source.name for source in function_sources(cfn(), function)}

    register, review = sources("RegisterFunction"), sources("ReviewFunction")

    assert "functions/register/app.py" in register and "functions/review/app.py" not in register
    # Split by area: the public function hashes e-mails but never reaches Cognito; review the reverse.
    assert "layers/salon/salon/kernel/person_key.py" in register - review
    assert "layers/salon/salon/registration/adapters/identity.py" in review - register
    assert not any(name.startswith("layers/scheduler/") for name in register)
    # Bound lazily (router.lazy in app.py): imported on a request, so their calls count.
    assert "functions/register/operations/submission.py" in register
    assert "functions/review/operations/decisions.py" in review


def test_what_the_relay_s_stream_mapping_needs_is_checked_too() -> None:
    template = copy.deepcopy(cfn())
    statements_ = template["Resources"]["OutboxRelayFunctionRole"]["Properties"]["Policies"][0][
        "PolicyDocument"
    ]
    statements_["Statement"] = [s for s in statements_["Statement"] if s["Sid"] != "ReadTheTableStream"]

    problems = least_privilege_problems(template, "OutboxRelayFunction")

    assert [p.split(" -> ")[1].split(",")[0] for p in problems] == [
        "needs dynamodb:DescribeStream",
        "needs dynamodb:GetRecords",
        "needs dynamodb:GetShardIterator",
    ]
    assert all(
        "event source mapping OutboxRelayFunctionOutboxInserts reads a table stream" in p for p in problems
    )
