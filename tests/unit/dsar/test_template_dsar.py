"""The template's parts of data-subject requests that the local cloud cannot run: the due-date alarm
(moto's CloudFormation skips CloudWatch alarms) and the daily retention schedule."""

from __future__ import annotations

import re
from typing import Any

from localcloud.template import REPO_ROOT, load_template

WATCH_SOURCE = "functions/dsar/watch.py"


def _resources() -> dict[str, Any]:
    return dict(load_template()["Resources"])


def test_the_due_date_alarm_watches_the_metric_the_watch_publishes() -> None:
    resources = _resources()
    alarm = resources["DsarCloseToDueAlarm"]["Properties"]
    watch = resources["DsarWatchFunction"]["Properties"]
    found = re.search(r'^METRIC = "(\w+)"$', (REPO_ROOT / WATCH_SOURCE).read_text(encoding="utf-8"), re.M)
    assert found is not None
    metric = found.group(1)
    namespace = load_template()["Globals"]["Function"]["Environment"]["Variables"][
        "POWERTOOLS_METRICS_NAMESPACE"
    ]
    assert (alarm["Namespace"], alarm["MetricName"]) == (namespace, metric)
    assert alarm["Dimensions"] == [
        {"Name": "service", "Value": watch["Environment"]["Variables"]["POWERTOOLS_SERVICE_NAME"]}
    ]
    assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold" and alarm["Threshold"] == 1
    assert watch["Events"]["Watch"]["Type"] == "Schedule"


def test_the_retention_sweep_runs_daily_over_every_tenant() -> None:
    machine = _resources()["RetentionSweepStateMachine"]["Properties"]
    daily = machine["Events"]["Daily"]
    assert daily["Type"] == "Schedule" and daily["Properties"]["Schedule"].startswith("cron(")
    assert daily["Properties"]["Input"] == "{}"  # no tenant: all of them
