"""A reminder's schedule fired (the reminder function): the current state decides whether it is still
due; what is sent goes through ``dispatch.deliver_all``, so a schedule firing twice sends once (the
delivery log). The event's last schedule closes its group."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, cast

from salon.notify import deps
from salon.notify.adapters import schedule_groups
from salon.notify.domain import plan
from salon.notify.domain.messages import Channel, Message, Recipient
from salon.notify.domain.reminder_plan import CLOSE, dates_of, still_due
from salon.notify.domain.reminders import BEFORE, MeetingTime, ReminderKind, group_name
from salon.notify.services.dispatch import branding, deliver_all, links
from salon.registration.domain.events import Event

logger = logging.getLogger(__name__)


def fire(payload: dict[str, Any]) -> int:
    """A schedule fired: send its reminder if it is still due; return how many messages were sent."""
    d = deps.get()
    tenant_id, event_id, kind = payload["tenant_id"], payload["event_id"], payload["kind"]
    ids = {"event_id": event_id, "kind": kind, "meeting_id": payload.get("meeting_id")}
    if kind == CLOSE:
        schedule_groups.close(group_name(tenant_id, event_id))
        logger.info("event over: reminder group deleted", extra=ids)
        return 0
    salon_event = d.events.get_event(tenant_id, event_id)
    if salon_event is None or kind not in BEFORE:
        logger.warning("reminder for an unknown event or kind", extra=ids)
        return 0
    reminder_kind = cast(ReminderKind, kind)
    scheduled = datetime.fromisoformat(payload["scheduled_time"].replace("Z", "+00:00"))
    meeting, table, recipients = _facts(tenant_id, salon_event, payload, reminder_kind)
    if not still_due(reminder_kind, dates_of(salon_event), scheduled, meeting):
        logger.info("reminder no longer due", extra=ids)
        return 0
    dedupe = f"reminder:{kind}:{event_id}:{payload.get('meeting_id', '')}:{scheduled.isoformat()}"
    messages = [_message(reminder_kind, r, salon_event, dedupe, meeting, table) for r in recipients]
    sent = deliver_all(tenant_id, salon_event, messages)["sent"]
    logger.info("reminder fired", extra={**ids, "sent": sent})
    return sent


def _facts(
    tenant_id: str, salon_event: Event, payload: dict[str, Any], kind: ReminderKind
) -> tuple[MeetingTime | None, str, list[Recipient]]:
    """The meeting and its table as the participant's agenda holds them now (None if no longer
    there), and who is told."""
    d = deps.get()
    if kind != "meeting_soon":
        return None, "", d.people.audience(tenant_id, salon_event.event_id, ["validated"], [])
    pid, mid = payload["participant_id"], payload["meeting_id"]
    agenda = d.agendas.agenda(tenant_id, salon_event.event_id, pid) or {"meetings": []}
    entry = next((m for m in agenda["meetings"] if m["meeting_id"] == mid), None)
    rid = d.people.registration_of(tenant_id, pid)
    if entry is None or rid is None:
        return None, "", []
    meeting = MeetingTime(mid, datetime.fromisoformat(entry["starts_at"]))
    return meeting, str(entry["table"]), d.people.company(tenant_id, rid, (pid,))[1]


def _message(
    kind: ReminderKind,
    recipient: Recipient,
    salon_event: Event,
    dedupe: str,
    meeting: MeetingTime | None,
    table: str,
) -> Message:
    loc = recipient.locale
    where = links(salon_event.event_id)
    context: dict[str, Any] = {
        "first_name": recipient.first_name,
        "company": recipient.company,
        "event_name": branding(salon_event).name_in(loc),
        "agenda_link": where.agenda,
        "sign_in_link": where.sign_in,
    }
    k = salon_event.key_dates
    deadline = {"requests_deadline": k.requests_deadline_at, "answers_deadline": k.answers_deadline_at}
    at = deadline.get(kind)
    if at is not None:
        context["deadline"] = plan.when(at.isoformat(), salon_event.time_zone, loc)
    if kind == "agenda_tomorrow":
        context["starts"] = plan.when(salon_event.starts_at.isoformat(), salon_event.time_zone, loc)
    if meeting is not None:
        context["when"] = plan.when(meeting.starts_at.isoformat(), salon_event.time_zone, loc)
        context["table"] = table
    channel: Channel = "sms" if kind == "meeting_soon" else "email"
    return Message(channel, f"reminder_{kind}", recipient, dedupe, context)
