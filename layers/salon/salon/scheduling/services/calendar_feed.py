"""The public calendar feed: the token in its URL stands for the participant (no sign-in; revoking
the URL deletes the token). Each meeting's SEQUENCE is the participant's agenda version: every change
of one of their meetings writes a new agenda version, so a changed meeting always comes with a higher
SEQUENCE (an unchanged one may rise too, which calendar apps take as a harmless update)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from salon.kernel.dynamo_reads import Item, TableReads
from salon.kernel.errors import NotFound
from salon.kernel.settings import get_settings
from salon.scheduling.adapters.calendar_feeds import CalendarFeedReads
from salon.scheduling.domain.calendar import FeedMeeting, feed

MEDIA_TYPE = "text/calendar"


def reads() -> CalendarFeedReads:
    return CalendarFeedReads(TableReads(get_settings().table_name))


def calendar(token: str, domain: str) -> bytes:
    """The feed of the token's participant; 404 for an unknown or revoked token."""
    r = reads()
    subscription = r.by_token(token)
    if subscription is None:
        raise NotFound("no such calendar")
    t, event_id, pid = subscription["tenant_id"], subscription["event_id"], subscription["participant_id"]
    own = str(subscription["registration_id"])
    event = r.event(t, event_id)
    if event is None:
        raise NotFound("no such calendar")
    agenda = r.agenda(t, event_id, pid)
    version = int(agenda["version"]) if agenda else 0
    current = set(agenda["meeting_ids"]) if agenda else set()
    items = [
        m for m in r.meetings_of(t, event_id, pid) if m["meeting_id"] in current or m["status"] == "cancelled"
    ]
    others = {_other(m, own) for m in items}
    companies = r.companies(t, others)
    people = r.people(
        t, {(reg, p) for m in items for reg in m["registration_ids"] for p in m["participant_ids"]}
    )
    me = people.get(pid) or r.people(t, {(own, pid)}).get(pid, {})
    locales = list(event.get("locales") or ["en"])
    locale = str(me.get("locale") or locales[0])
    zone = ZoneInfo(str(event["time_zone"]))
    meetings = [
        FeedMeeting(
            meeting_id=str(m["meeting_id"]),
            starts_at=datetime.fromisoformat(m["starts_at"]).astimezone(zone),
            ends_at=datetime.fromisoformat(m["ends_at"]).astimezone(zone),
            table=str(m["table"]),
            company=companies.get(theirs, ""),
            attendees=tuple(
                _name(person)
                for p in m["participant_ids"]
                if (person := people.get(p)) and person.get("registration_id") == theirs
            ),
            cancelled=m["meeting_id"] not in current,
            sequence=version,
        )
        for m in items
        for theirs in [_other(m, own)]
    ]
    name = dict(event.get("name") or {})
    title = str(name.get(locale) or next(iter(name.values()), ""))
    return feed(title, meetings, domain=domain, locale=locale, now=datetime.now(UTC))


def _other(meeting: Item, own: str) -> str:
    return next((r for r in meeting["registration_ids"] if r != own), own)


def _name(person: Item) -> str:
    return f"{person.get('first_name', '')} {person.get('last_name', '')}".strip()
