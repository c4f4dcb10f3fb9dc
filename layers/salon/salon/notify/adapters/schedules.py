"""The reminders' EventBridge Scheduler schedules: one group per event, one-time ``at(...)`` schedules
invoking the reminder function with ids only. Creating is idempotent (an existing group or schedule
is updated); deleting what is already gone is not an error, nor is planning in a group deleted
meanwhile. The reminder function deletes the group when the event ends (``schedule_groups``)."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from salon.kernel import aws
from salon.kernel.platform import AreaDeps, Platform
from salon.notify.domain.reminder_plan import Schedule


class Schedules:
    def __init__(self, target_arn: str, role_arn: str) -> None:
        self.target_arn, self.role_arn = target_arn, role_arn

    @property
    def client(self) -> Any:
        return aws.scheduler()

    def ensure_group(self, group: str) -> None:
        with contextlib.suppress(self.client.exceptions.ConflictException):
            self.client.create_schedule_group(Name=group)

    def put(self, group: str, schedule: Schedule) -> None:
        spec: dict[str, Any] = {
            "Name": schedule.name,
            "GroupName": group,
            "ScheduleExpression": schedule.expression,
            "ScheduleExpressionTimezone": "UTC",
            "FlexibleTimeWindow": {"Mode": "OFF"},
            "ActionAfterCompletion": "DELETE",
            "Target": {"Arn": self.target_arn, "RoleArn": self.role_arn, "Input": json.dumps(schedule.input)},
        }
        errors = self.client.exceptions
        # A group gone meanwhile was closed by the event's end (or the tenant's closure): nothing to plan.
        with contextlib.suppress(errors.ResourceNotFoundException):
            try:
                self.client.create_schedule(**spec)
            except errors.ConflictException:
                self.client.update_schedule(**spec)

    def planned(self, group: str) -> list[str] | None:
        """The names of the group's schedules; None if the group does not exist (nothing planned)."""
        try:
            self.client.get_schedule_group(Name=group)
        except self.client.exceptions.ResourceNotFoundException:
            return None
        names: list[str] = []
        token: dict[str, str] = {}
        while True:
            page = self.client.list_schedules(GroupName=group, **token)
            names += [s["Name"] for s in page.get("Schedules", [])]
            if not page.get("NextToken"):
                return names
            token = {"NextToken": page["NextToken"]}

    def delete(self, group: str, name: str) -> None:
        with contextlib.suppress(self.client.exceptions.ResourceNotFoundException):
            self.client.delete_schedule(Name=name, GroupName=group)


def _build(shared: Platform) -> Schedules:
    return Schedules(shared.settings.reminder_function_arn, shared.settings.reminder_schedule_role_arn)


schedules = AreaDeps(_build)  # lazily built; tests may override it
