"""Reminders, planned (the notify consumer): a validated registration (re)plans the event-wide
reminders and the schedule that closes the event's group when it ends; an agenda change plans, moves
or deletes that participant's meeting reminders; a change of the event's dates (``event.changed``)
moves the event's schedules to the new times and deletes those no longer wanted (``reminder_fire``
sends them)."""

from __future__ import annotations

import logging
from datetime import datetime

from salon.kernel.consumer import DomainEvent
from salon.notify import deps
from salon.notify.adapters.schedules import schedules
from salon.notify.domain import plan
from salon.notify.domain.reminder_plan import (
    agenda_schedules,
    dates_of,
    event_schedules,
    meetings_of,
    replan,
)
from salon.notify.domain.reminders import group_name
from salon.registration.domain.events import EVENT_CHANGED, Event

logger = logging.getLogger(__name__)
PLANNED_ON = frozenset({"registration.validated", plan.AGENDA_CHANGED, EVENT_CHANGED})


def plan_for(event: DomainEvent) -> None:
    """The schedules ``event`` calls for, created or updated in the event's group."""
    detail, t = event.detail, event.detail.tenant_id
    if event.detail_type not in PLANNED_ON or detail.event_id is None:
        return
    salon_event = deps.get().events.get_event(t, detail.event_id)
    if salon_event is None:
        return
    dates, group = dates_of(salon_event), group_name(t, salon_event.event_id)
    scheduler = schedules.get()
    now = deps.get().clock()
    if event.detail_type == EVENT_CHANGED:
        _replan(t, salon_event, group, now)
        return
    scheduler.ensure_group(group)
    if event.detail_type == "registration.validated":  # a reminder already past is not planned
        for schedule in event_schedules(t, dates):
            if schedule.at > now:
                scheduler.put(group, schedule)
        return
    if detail.changes is None or not detail.participant_ids:
        return
    upserts, gone = agenda_schedules(t, dates, detail.participant_ids[0], detail.changes)
    for schedule in upserts:
        if schedule.at > now:
            scheduler.put(group, schedule)
    for name in gone:
        scheduler.delete(group, name)
    logger.info(
        "meeting reminders planned",
        extra={"participant_id": detail.participant_ids[0], "planned": len(upserts), "deleted": len(gone)},
    )


def _replan(tenant_id: str, salon_event: Event, group: str, now: datetime) -> None:
    """The event's dates changed: its schedules moved to the new times, those no longer wanted deleted.
    Nothing if no reminder was planned yet (the first validated registration plans them)."""
    scheduler = schedules.get()
    # Listed before the agendas are read: a meeting reminder planned meanwhile is in the agendas read,
    # so it is not deleted.
    planned = scheduler.planned(group)
    if planned is None:
        return
    agendas = deps.get().agendas.agendas(tenant_id, salon_event.event_id)
    puts, gone = replan(tenant_id, dates_of(salon_event), meetings_of(agendas), planned, now)
    for schedule in puts:
        scheduler.put(group, schedule)
    for name in gone:
        scheduler.delete(group, name)
    logger.info(
        "reminders planned again",
        extra={"event_id": salon_event.event_id, "put": len(puts), "deleted": len(gone)},
    )
