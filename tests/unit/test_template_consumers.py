"""Every SQS queue an EventBridge rule feeds follows the consumer pattern of docs/ARCHITECTURE.md
("Adding a consumer"): a dead-letter queue with redrive, a queue policy letting only that rule send,
and a function reading the queue with partial batch failures. The documented pattern itself is
checked too (merged into the template, it passes and lints clean), and so is each way of breaking it."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import ManualArgs, lint
from localcloud.template import REPO_ROOT, load_template

Resources = dict[str, dict[str, Any]]


def _of_type(resources: Resources, resource_type: str) -> Resources:
    return {name: body for name, body in resources.items() if body["Type"] == resource_type}


def _arn_of(value: Any) -> str | None:
    """The logical id in ``!GetAtt X.Arn``, else None."""
    attribute = value.get("Fn::GetAtt") if isinstance(value, dict) else None
    return str(attribute[0]) if isinstance(attribute, list) and attribute[1] == "Arn" else None


def fed_queues(resources: Resources) -> dict[str, str]:
    """Queue logical id -> the rule that feeds it."""
    queues = _of_type(resources, "AWS::SQS::Queue")
    fed: dict[str, str] = {}
    for rule, body in _of_type(resources, "AWS::Events::Rule").items():
        for target in body["Properties"].get("Targets", []):
            queue = _arn_of(target.get("Arn"))
            if queue in queues:
                fed[queue] = rule
    return fed


def violations(resources: Resources) -> list[str]:
    found: list[str] = []
    queues = _of_type(resources, "AWS::SQS::Queue")
    for queue, rule in fed_queues(resources).items():
        redrive = queues[queue]["Properties"].get("RedrivePolicy") or {}
        dead_letters = _arn_of(redrive.get("deadLetterTargetArn"))
        if dead_letters not in queues or not int(redrive.get("maxReceiveCount", 0)):
            found.append(f"{queue}: no dead-letter queue with a maxReceiveCount")
        policies = [
            body["Properties"]["PolicyDocument"]
            for body in _of_type(resources, "AWS::SQS::QueuePolicy").values()
            if {"Ref": queue} in body["Properties"]["Queues"]
        ]
        statements = [s for document in policies for s in document["Statement"] if s.get("Effect") == "Allow"]
        only_its_rule = [
            s
            for s in statements
            if s.get("Principal") == {"Service": "events.amazonaws.com"}
            and s.get("Action") in ("sqs:SendMessage", ["sqs:SendMessage"])
            and _arn_of(s.get("Condition", {}).get("ArnEquals", {}).get("aws:SourceArn")) == rule
        ]
        if not statements or only_its_rule != statements:
            found.append(f"{queue}: its policy must allow sqs:SendMessage to the rule {rule} only")
        readers = [
            event["Properties"]
            for function in _of_type(resources, "AWS::Serverless::Function").values()
            for event in function["Properties"].get("Events", {}).values()
            if event["Type"] == "SQS" and _arn_of(event["Properties"].get("Queue")) == queue
        ]
        if not readers or any(
            "ReportBatchItemFailures" not in r.get("FunctionResponseTypes", []) for r in readers
        ):
            found.append(f"{queue}: no function reads it with ReportBatchItemFailures")
    return found


def documented_consumer(tmp_path: Path) -> Resources:
    text = (REPO_ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    section = text.split("### Adding a consumer", 1)[1]
    block = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert block is not None, "docs/ARCHITECTURE.md lost its consumer pattern"
    path = tmp_path / "consumer.yaml"
    path.write_text(block.group(1), encoding="utf-8")
    return load_template(path)


def test_every_queue_a_rule_feeds_in_the_template_follows_the_pattern() -> None:
    assert violations(load_template()["Resources"]) == []


def test_the_documented_consumer_follows_the_pattern_and_lints_clean(tmp_path: Path) -> None:
    template = load_template()
    consumer = documented_consumer(tmp_path)
    template["Resources"].update(consumer)

    assert fed_queues(template["Resources"]) == {
        "SearchIndexerQueue": "SearchIndexerRule",
        "NotifyQueue": "NotifyRule",
        "InvoicerQueue": "InvoicerRule",
    }
    assert violations(template["Resources"]) == []
    problems = lint(json.dumps(template), config=ManualArgs(regions=["eu-west-3"], include_checks=["I"]))
    assert [f"{p.rule.id} {p.message}" for p in problems] == []


def _drop_redrive(r: Resources) -> None:
    del r["SearchIndexerQueue"]["Properties"]["RedrivePolicy"]


def _any_sender(r: Resources) -> None:
    del r["SearchIndexerQueuePolicy"]["Properties"]["PolicyDocument"]["Statement"][0]["Condition"]


def _whole_batch(r: Resources) -> None:
    del r["SearchIndexerFunction"]["Properties"]["Events"]["Domain"]["Properties"]["FunctionResponseTypes"]


def _no_reader(r: Resources) -> None:
    del r["SearchIndexerFunction"]


@pytest.mark.parametrize("breakage", [_drop_redrive, _any_sender, _whole_batch, _no_reader])
def test_each_way_of_breaking_the_pattern_is_caught(
    tmp_path: Path, breakage: Callable[[Resources], None]
) -> None:
    resources = copy.deepcopy(documented_consumer(tmp_path))
    breakage(resources)

    assert len(violations(resources)) == 1


def test_the_notify_rule_passes_every_event_the_notify_consumer_acts_on() -> None:
    from salon.notify.domain.plan import HANDLED
    from salon.notify.services.reminders import PLANNED_ON

    pattern = load_template()["Resources"]["NotifyRule"]["Properties"]["EventPattern"]

    assert sorted((HANDLED | PLANNED_ON) - set(pattern["detail-type"])) == []
    assert "event.changed" in PLANNED_ON  # an event's new dates re-plan its reminders
