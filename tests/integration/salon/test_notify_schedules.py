"""The reminders' schedule adapter against the local cloud's EventBridge Scheduler."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from salon.notify.adapters.schedules import Schedules
from salon.notify.domain.reminder_plan import Schedule

pytestmark = pytest.mark.integration


def _schedule() -> Schedule:
    at = (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0)
    return Schedule(f"r-{uuid.uuid4().hex[:12]}", f"at({at:%Y-%m-%dT%H:%M:%S})", {"kind": "test"}, at)


def test_planning_in_a_group_closed_meanwhile_plans_nothing_and_fails_nothing(cloud: Any) -> None:
    scheduler = cloud.client("scheduler")
    schedules = Schedules(
        cloud.resources.physical_ids["ReminderFunction"], "arn:aws:iam::123456789012:role/r"
    )
    group = f"salon-test-{uuid.uuid4().hex[:12]}"
    schedules.ensure_group(group)
    scheduler.delete_schedule_group(Name=group)  # the event's end closed it between the two calls

    schedules.put(group, _schedule())

    assert group not in {g["Name"] for g in scheduler.list_schedule_groups()["ScheduleGroups"]}


def test_the_local_scheduler_answers_a_missing_group_as_scheduler_does(cloud: Any) -> None:
    scheduler = cloud.client("scheduler")
    with pytest.raises(scheduler.exceptions.ResourceNotFoundException):
        scheduler.create_schedule(
            Name="r-missing-group",
            GroupName=f"salon-missing-{uuid.uuid4().hex[:12]}",
            ScheduleExpression="at(2030-01-01T00:00:00)",
            FlexibleTimeWindow={"Mode": "OFF"},
            Target={
                "Arn": cloud.resources.physical_ids["ReminderFunction"],
                "RoleArn": "arn:aws:iam::123456789012:role/r",
            },
        )
