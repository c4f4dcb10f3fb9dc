"""The local cloud's EventBridge Scheduler clock: moto stores schedules but never fires them, so this
fires the due ones. ``fire_due(cloud, now)`` invokes each one-time schedule whose ``at(...)`` time is
at or before ``now`` with its input (Scheduler's ``<aws.scheduler.scheduled-time>`` replaced, as
Scheduler does), then deletes it (``ActionAfterCompletion: DELETE``). ``make dev`` ticks it on real
time; ``make demo`` on a simulated clock.

`missing_groups_not_found()` also mends a moto gap: creating a schedule in a group that does not exist
(deleted at the event's end meanwhile) fails with a KeyError, a 500, where Scheduler answers
ResourceNotFoundException."""

from __future__ import annotations

import contextlib
import json
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from salon.notify.domain.reminder_plan import SCHEDULED_TIME


@dataclass(frozen=True)
class Fired:
    group: str
    name: str
    input: dict[str, Any]
    result: dict[str, Any]


def _at(expression: str) -> datetime | None:
    if not (expression.startswith("at(") and expression.endswith(")")):
        return None
    return datetime.fromisoformat(expression[3:-1]).replace(tzinfo=UTC)


def _pages(client: Any, operation: str, key: str, **params: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        page = getattr(client, operation)(**params, **({"NextToken": token} if token else {}))
        out += page.get(key, [])
        token = page.get("NextToken")
        if not token:
            return out


def due(cloud: Any, now: datetime) -> list[tuple[datetime, str, dict[str, Any]]]:
    """(time, group, schedule) of every one-time schedule due at ``now``, earliest first."""
    scheduler = cloud.client("scheduler")
    found = []
    for group in _pages(scheduler, "list_schedule_groups", "ScheduleGroups"):
        for summary in _pages(scheduler, "list_schedules", "Schedules", GroupName=group["Name"]):
            schedule = scheduler.get_schedule(Name=summary["Name"], GroupName=group["Name"])
            at = _at(schedule["ScheduleExpression"])
            if at is not None and at <= now and schedule.get("State", "ENABLED") == "ENABLED":
                found.append((at, group["Name"], schedule))
    return sorted(found, key=lambda f: (f[0], f[1], f[2]["Name"]))


def fire_due(cloud: Any, now: datetime) -> list[Fired]:
    """Fire what is due at ``now``, in time order; return what fired with what its target answered."""
    scheduler, lambdas = cloud.client("scheduler"), cloud.client("lambda")
    fired: list[Fired] = []
    for at, group, schedule in due(cloud, now):
        target = schedule["Target"]
        text = target.get("Input", "{}").replace(SCHEDULED_TIME, at.strftime("%Y-%m-%dT%H:%M:%SZ"))
        response = lambdas.invoke(FunctionName=target["Arn"], Payload=text.encode())
        payload = response["Payload"].read()
        result = json.loads(payload) if payload else {}
        if schedule.get("ActionAfterCompletion", "NONE") == "DELETE":
            # (already gone when the target closed its group: the event's end)
            with contextlib.suppress(scheduler.exceptions.ResourceNotFoundException):
                scheduler.delete_schedule(Name=schedule["Name"], GroupName=group)
        fired.append(Fired(group, schedule["Name"], json.loads(text), result))
    return fired


def reminder_lines(fired: list[Fired]) -> list[str]:
    """What a run of the clock fired, per reminder kind: schedules fired and messages sent."""
    schedules: Counter[str] = Counter(str(f.input.get("kind")) for f in fired)
    sent: Counter[str] = Counter()
    for f in fired:
        sent[str(f.input.get("kind"))] += int(f.result.get("sent", 0))
    lines = [f"Reminders fired on a simulated clock ({len(fired)} schedules):"]
    lines += [f"  {kind}: {schedules[kind]} fired, {sent[kind]} sent" for kind in sorted(schedules)]
    return lines


def missing_groups_not_found() -> None:
    """CreateSchedule in a missing group answers ResourceNotFoundException, as Scheduler does
    (process-wide, idempotent; applied by `LocalCloud.start`)."""
    from moto.scheduler.models import EventBridgeSchedulerBackend

    create = EventBridgeSchedulerBackend.create_schedule
    if getattr(create, "checks_group", False):
        return

    def create_schedule(self: Any, *args: Any, **kwargs: Any) -> Any:
        self.get_schedule_group(kwargs.get("group_name"))  # raises ScheduleGroupNotFound
        return create(self, *args, **kwargs)

    create_schedule.checks_group = True  # type: ignore[attr-defined]
    setattr(EventBridgeSchedulerBackend, "create_schedule", create_schedule)  # noqa: B010
