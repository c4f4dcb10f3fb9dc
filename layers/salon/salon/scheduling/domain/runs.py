"""A scheduling run's states and what may follow what."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from pydantic import Field

from salon.kernel.values import StrictModel

Status = Literal[
    "queued", "snapshotting", "solving", "checking", "ready", "publishing", "published", "failed", "cancelled"
]
Mode = Literal["from_scratch", "moving_allowed", "locked"]
STAGES: tuple[str, ...] = ("snapshot", "solve", "check")

ACTIVE: frozenset[str] = frozenset({"queued", "snapshotting", "solving", "checking"})
# The run's solving has ended (the event's active-run marker is free); publishing follows a ready run.
ENDED: frozenset[str] = frozenset({"ready", "publishing", "published", "failed", "cancelled"})

# status -> the statuses it may move to.
NEXT: Mapping[str, frozenset[str]] = {
    "queued": frozenset({"snapshotting", "failed", "cancelled"}),
    "snapshotting": frozenset({"solving", "failed", "cancelled"}),
    "solving": frozenset({"checking", "failed", "cancelled"}),
    "checking": frozenset({"ready", "failed", "cancelled"}),
    "ready": frozenset({"publishing"}),
    "publishing": frozenset({"published", "ready"}),  # back to ready when the publish step fails
    "published": frozenset(),
    "failed": frozenset(),
    "cancelled": frozenset(),
}


def may_follow(status: str) -> list[str]:
    """The statuses a run must be in to move to ``status``."""
    return sorted(s for s, following in NEXT.items() if status in following)


class RunInput(StrictModel):
    mode: Mode = "from_scratch"
    time_limit_s: int = Field(default=60, ge=1, le=840)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
