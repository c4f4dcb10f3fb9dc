"""A participant's calendar feed address: created on first demand, shown again until revoked, a new
one after revoking. The address carries a random token (256 bits) and nothing else."""

from __future__ import annotations

import logging
import secrets

from pydantic import BaseModel

from salon.kernel.caller import Caller
from salon.kernel.values import iso
from salon.scheduling import deps
from salon.scheduling.services.agenda import AgendaQuery, participation

logger = logging.getLogger(__name__)
# The feed's route (salon.kernel.routes): GET /calendar/{token}/agenda.ics
PATH = "/calendar/{token}/agenda.ics"


class CalendarUrl(BaseModel):
    url: str


class CalendarRevoked(BaseModel):
    revoked: bool  # false: there was no address to revoke


def url(caller: Caller, query: AgendaQuery) -> CalendarUrl:
    t, link = participation(caller, query.event_id)
    d = deps.get()
    event_id, pid = link["event_id"], link["participant_id"]
    item = d.calendars.of(t, event_id, pid)
    if item is None:
        token = secrets.token_urlsafe(32)
        item = d.calendars.create(t, event_id, link["registration_id"], pid, token, iso(d.clock()))
        logger.info("calendar feed created", extra={"event_id": event_id, "participant_id": pid})
    return CalendarUrl(url=f"{caller.origin or ''}{PATH.format(token=item['token'])}")


def revoke(caller: Caller, query: AgendaQuery) -> CalendarRevoked:
    t, link = participation(caller, query.event_id)
    d = deps.get()
    event_id, pid = link["event_id"], link["participant_id"]
    existed = d.calendars.of(t, event_id, pid) is not None
    d.calendars.revoke(t, event_id, pid)
    logger.info("calendar feed revoked", extra={"event_id": event_id, "participant_id": pid})
    return CalendarRevoked(revoked=existed)
