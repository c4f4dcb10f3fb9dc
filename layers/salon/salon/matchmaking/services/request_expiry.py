"""The scheduled sweep that stores ``expired`` on the meeting requests left unanswered at their event's
answers deadline, so exports, counts and the scheduler's snapshot never depend on someone listing first.

The events due are found through the sparse deadline index the event's save writes (one query, no
scan); each is swept with ``expire_overdue`` (which checks the event's own deadline again), then taken
out of the index. A sweep that stops half-way leaves the entry: the next one resumes (expiring is
idempotent).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from salon.kernel.errors import NotFound
from salon.matchmaking import deps
from salon.matchmaking.services.request_lists import expire_overdue

logger = logging.getLogger(__name__)
EVENTS_PER_SWEEP = 100  # the next sweep takes the rest


@dataclass(frozen=True)
class SweepOutcome:
    events: int
    expired: int


def sweep_overdue_requests() -> SweepOutcome:
    d = deps.get()
    now = d.clock()
    events = expired = 0
    for due in d.requests.due_deadlines(now, EVENTS_PER_SWEEP):
        try:
            count = expire_overdue(due.tenant_id, due.event_id)
        except NotFound:
            count = 0  # the event is gone: nothing left to expire
        d.requests.mark_swept(due, now)
        logger.info(
            "answers deadline swept",
            extra={"tenant_id": due.tenant_id, "event_id": due.event_id, "expired": count},
        )
        events += 1
        expired += count
    return SweepOutcome(events, expired)
