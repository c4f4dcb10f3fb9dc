"""The schedule function in the local cloud: the template's bucket and function, the real handler
invoked through the Lambda API, the sample problem from events/schedule/ solved and written back,
and every rejection a problem+json document naming the fields at fault."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from localcloud import LocalCloud
from salon_scheduler.document import read_problem
from salon_scheduler.instance import Placement
from salon_scheduler.validate import validate

pytestmark = pytest.mark.integration

EVENTS = Path(__file__).parents[3] / "events" / "schedule"


def invoke(cloud: LocalCloud, event: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    response = cloud.client("lambda").invoke(
        FunctionName=cloud.resources.function_name("ScheduleFunction"), Payload=json.dumps(event)
    )
    return json.loads(response["Payload"].read()), response.get("FunctionError")


def upload(cloud: LocalCloud, key: str, body: str) -> None:
    cloud.client("s3").put_object(Bucket=cloud.resources.physical_ids["ScheduleBucket"], Key=key, Body=body)


def keys(cloud: LocalCloud, prefix: str) -> list[str]:
    listed = cloud.client("s3").list_objects_v2(
        Bucket=cloud.resources.physical_ids["ScheduleBucket"], Prefix=prefix
    )
    return sorted(item["Key"] for item in listed.get("Contents", []))


def rejection(payload: dict[str, Any]) -> dict[str, Any]:
    assert payload["errorType"] == "ScheduleRejected"
    problem: dict[str, Any] = json.loads(payload["errorMessage"])
    return problem


def test_the_sample_problem_is_scheduled_and_the_schedule_written_beside_it(cloud: LocalCloud) -> None:
    event = json.loads((EVENTS / "invoke.json").read_text())
    prefix = f"tenant-x/runs/{uuid.uuid4().hex}/"
    event["tenant_id"], event["problem_key"] = "tenant-x", prefix + "problem.json"
    problem_text = (EVENTS / "problem.json").read_text()
    upload(cloud, event["problem_key"], problem_text)

    summary, error = invoke(cloud, event)

    assert error is None, summary
    assert summary["result_key"] == prefix + "problem.schedule.json"
    body = cloud.client("s3").get_object(
        Bucket=cloud.resources.physical_ids["ScheduleBucket"], Key=summary["result_key"]
    )
    document = json.loads(body["Body"].read())
    instance = read_problem(json.loads(problem_text))
    placements = [Placement(p["meeting"], p["slot"], p["table"]) for p in document["placements"]]
    assert validate(instance, placements).problems == ()  # re-checked here, not taken on trust
    assert summary["placed"] == len(placements) > 0
    assert summary["placed"] + summary["unscheduled"] == len(instance.meetings) == summary["requested"]
    assert summary["violations"] == 0
    assert set(summary["stages"]) == {"weight", "fairness", "breaks", "tables"}
    assert {u["reason"] for u in document["unscheduled"]} <= {
        "participant_full",
        "no_common_free_slot",
        "no_table",
        "quota_reached",
        "precedence",
        "lower_priority",
    }


def test_a_retried_run_overwrites_its_own_result_and_nothing_else(cloud: LocalCloud) -> None:
    prefix = f"tenant-x/runs/{uuid.uuid4().hex}/"
    upload(cloud, prefix + "problem.json", (EVENTS / "problem.json").read_text())
    event = {
        "tenant_id": "tenant-x",
        "problem_key": prefix + "problem.json",
        "result_key": prefix + "out.json",
        "time_limit_s": 2,
    }
    first, _ = invoke(cloud, event)
    second, _ = invoke(cloud, event)
    assert first["result_key"] == second["result_key"] == prefix + "out.json"
    assert keys(cloud, prefix) == [prefix + "out.json", prefix + "problem.json"]


def test_an_invalid_problem_is_rejected_with_every_field_at_fault_and_no_result(cloud: LocalCloud) -> None:
    prefix = f"tenant-x/runs/{uuid.uuid4().hex}/"
    problem = json.loads((EVENTS / "problem.json").read_text())
    problem["meetings"][3]["participants"][0] = 999
    problem["tables"][0]["unavailable_slots"] = [40]
    upload(cloud, prefix + "problem.json", json.dumps(problem))

    payload, error = invoke(cloud, {"tenant_id": "tenant-x", "problem_key": prefix + "problem.json"})

    assert error is not None  # the function failed (moto says "Handled", Lambda "Unhandled")
    refused = rejection(payload)
    assert refused["status"] == 422
    assert {e["field"] for e in refused["errors"]} == {
        "meetings[3].participants[0]",
        "tables[0].unavailable_slots[0]",
    }
    assert keys(cloud, prefix) == [prefix + "problem.json"]


def test_an_invalid_event_a_missing_problem_and_a_non_json_problem_are_refused(cloud: LocalCloud) -> None:
    payload, _ = invoke(
        cloud,
        {
            "tenant_id": "tenant-x",
            "problem_key": "tenant-x/runs/x/problem.json",
            "time_limit_s": 5000,
            "colour": 1,
        },
    )
    refused = rejection(payload)
    assert refused["status"] == 422
    assert {e["field"] for e in refused["errors"]} == {"time_limit_s", "colour"}

    payload, _ = invoke(
        cloud,
        {
            "tenant_id": "tenant-x",
            "problem_key": "tenant-x/runs/x/problem.json",
            "result_key": "tenant-x/runs/x/problem.json",
        },
    )
    overwrite = {"field": "body", "message": "would overwrite the problem document"}
    assert rejection(payload)["errors"] == [overwrite]

    payload, _ = invoke(
        cloud, {"tenant_id": "tenant-x", "problem_key": f"tenant-x/runs/{uuid.uuid4().hex}/problem.json"}
    )
    assert rejection(payload)["status"] == 404

    key = f"tenant-x/runs/{uuid.uuid4().hex}/problem.json"
    upload(cloud, key, "{not json")
    payload, _ = invoke(cloud, {"tenant_id": "tenant-x", "problem_key": key})
    assert rejection(payload)["detail"] == "the problem document is not JSON"


def test_documents_outside_the_run_tenant_are_refused(cloud: LocalCloud) -> None:
    prefix = f"tenant-y/runs/{uuid.uuid4().hex}/"
    upload(cloud, prefix + "problem.json", (EVENTS / "problem.json").read_text())

    payload, _ = invoke(cloud, {"tenant_id": "tenant-x", "problem_key": prefix + "problem.json"})

    refused = rejection(payload)
    assert refused["status"] == 422
    assert refused["errors"] == [
        {"field": "body", "message": "the documents must be under the run's tenant prefix"}
    ]
    assert keys(cloud, prefix) == [prefix + "problem.json"]
