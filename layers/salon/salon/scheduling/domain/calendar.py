"""A participant's agenda as an iCalendar feed (RFC 5545) that calendar apps subscribe to: the event's
time zone (VTIMEZONE), one VEVENT per meeting whose UID never changes, SEQUENCE growing with every
change, the other company as summary, the table as location; a cancelled meeting stays, cancelled,
so apps remove it rather than keep a stale copy. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event

PRODUCT = "-//Salon//Agenda//EN"
SUMMARY: Mapping[str, str] = {"en": "Meeting: {company}", "fr": "Rendez-vous : {company}"}
WITH: Mapping[str, str] = {"en": "With", "fr": "Avec"}
TABLE: Mapping[str, str] = {"en": "Table", "fr": "Table"}


@dataclass(frozen=True)
class FeedMeeting:
    meeting_id: str
    starts_at: datetime  # aware, in the event's time zone
    ends_at: datetime
    table: str
    company: str  # the other company
    attendees: tuple[str, ...]  # its attending participants' names
    cancelled: bool
    sequence: int  # grows whenever the meeting changes for this participant


def uid(meeting_id: str, domain: str) -> str:
    return f"{meeting_id}@{domain}"


def feed(
    name: str,
    meetings: Sequence[FeedMeeting],
    *,
    domain: str,
    locale: str,
    now: datetime,
) -> bytes:
    """The feed's bytes; times carry the event's time zone (TZID), described once in a VTIMEZONE."""
    language = locale if locale in SUMMARY else "en"
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for m in sorted(meetings, key=lambda m: (m.starts_at, m.meeting_id)):
        event = Event()
        event.add("uid", uid(m.meeting_id, domain))
        event.add("dtstamp", now)
        event.add("dtstart", m.starts_at)
        event.add("dtend", m.ends_at)
        event.add("sequence", m.sequence)
        event.add("summary", SUMMARY[language].format(company=m.company))
        event.add("location", f"{TABLE[language]} {m.table}")
        if m.attendees:
            event.add("description", f"{WITH[language]}: {', '.join(m.attendees)}")
        event.add("status", "CANCELLED" if m.cancelled else "CONFIRMED")
        event.add("transp", "TRANSPARENT" if m.cancelled else "OPAQUE")
        calendar.add_component(event)
    if meetings:
        first, last = _span(meetings)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return bytes(calendar.to_ical())


def _span(meetings: Sequence[FeedMeeting]) -> tuple[date, date]:
    """The dates the VTIMEZONE must cover (a day either side: its rules start before the first)."""
    first = min(m.starts_at for m in meetings).date() - timedelta(days=1)
    last = max(m.ends_at for m in meetings).date() + timedelta(days=1)
    return first, last
