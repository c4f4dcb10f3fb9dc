"""The iCalendar feed builder: read back with icalendar, times and time zone, UIDs, SEQUENCE, status
and the participant's language."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar
from salon.scheduling.domain.calendar import FeedMeeting, feed

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)


def meeting(
    meeting_id: str, hour: int, *, day: int = 27, cancelled: bool = False, sequence: int = 1
) -> FeedMeeting:
    return FeedMeeting(
        meeting_id=meeting_id,
        starts_at=datetime(2027, 3, day, hour, 0, tzinfo=PARIS),
        ends_at=datetime(2027, 3, day, hour, 30, tzinfo=PARIS),
        table="T3",
        company="Émballages Dupont",
        attendees=("Zoé Martin", "Léa Petit"),
        cancelled=cancelled,
        sequence=sequence,
    )


def test_each_meeting_is_one_event_with_a_stable_uid_in_the_event_s_time_zone() -> None:
    # The event spans the switch to summer time (28 March 2027 in Paris).
    meetings = [meeting("mtg_a", 9), meeting("mtg_b", 14, day=29, sequence=3)]

    calendar = Calendar.from_ical(feed("Salon", meetings, domain="api.example", locale="en", now=NOW))

    assert str(calendar["VERSION"]) == "2.0" and str(calendar["X-WR-CALNAME"]) == "Salon"
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Paris"
    events = calendar.walk("VEVENT")
    assert [str(e["UID"]) for e in events] == ["mtg_a@api.example", "mtg_b@api.example"]
    assert [e.decoded("DTSTART").astimezone(UTC).hour for e in events] == [8, 12]  # +01:00, then +02:00
    assert all(e["DTSTART"].params["TZID"] == "Europe/Paris" for e in events)
    assert [int(e["SEQUENCE"]) for e in events] == [1, 3]
    first = events[0]
    assert str(first["SUMMARY"]) == "Meeting: Émballages Dupont"
    assert str(first["LOCATION"]) == "Table T3"
    assert str(first["DESCRIPTION"]) == "With: Zoé Martin, Léa Petit"
    assert (str(first["STATUS"]), str(first["TRANSP"])) == ("CONFIRMED", "OPAQUE")
    assert first.decoded("DTSTAMP") == NOW


def test_a_cancelled_meeting_stays_cancelled_and_french_reads_french() -> None:
    calendar = Calendar.from_ical(
        feed("Salon", [meeting("mtg_a", 9, cancelled=True, sequence=4)], domain="d", locale="fr", now=NOW)
    )

    [event] = calendar.walk("VEVENT")
    assert (str(event["STATUS"]), str(event["TRANSP"]), int(event["SEQUENCE"])) == (
        "CANCELLED",
        "TRANSPARENT",
        4,
    )
    assert str(event["SUMMARY"]) == "Rendez-vous : Émballages Dupont"
    assert str(event["DESCRIPTION"]) == "Avec: Zoé Martin, Léa Petit"


def test_an_empty_agenda_is_a_valid_calendar_without_events() -> None:
    calendar = Calendar.from_ical(feed("Salon", [], domain="d", locale="en", now=NOW))

    assert calendar.walk("VEVENT") == [] and str(calendar["PRODID"]).startswith("-//Salon")
