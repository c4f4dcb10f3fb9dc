"""Closing an event's EventBridge Scheduler group when the event ends (its schedules go with it)."""

from __future__ import annotations

import contextlib

from salon.kernel import aws


def close(group: str) -> None:
    client = aws.scheduler()
    with contextlib.suppress(client.exceptions.ResourceNotFoundException):  # already closed
        client.delete_schedule_group(Name=group)
