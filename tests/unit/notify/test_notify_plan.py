"""Which messages a domain event yields: one per recipient and kind, a stable key, SMS per change
only when SMS are active and the mobile is verified."""

from __future__ import annotations

from salon.notify.domain.messages import Recipient, message_key
from salon.notify.domain.plan import Links, agenda_messages, consent_messages, registration_messages, when

LINKS = Links(sign_in="https://app/sign-in?event=ev", agenda="https://app/agenda?event=ev")
NAMES = {"fr": "Rencontres", "en": "Meetings"}
ADA = Recipient("p1", "ada@example.org", "Ada", "fr", "ACME", mobile="+33612345678")
BOB = Recipient("p2", "bob@example.org", "Bob", "en", "ACME")
CHANGES = {
    "added": [{"meeting_id": "m1", "starts_at": "2027-03-12T08:00:00+00:00", "ends_at": "x", "table": "T1"}],
    "moved": [
        {
            "meeting_id": "m2",
            "from_starts_at": "2027-03-12T09:00:00+00:00",
            "from_table": "T2",
            "to_starts_at": "2027-03-12T10:00:00+00:00",
            "to_ends_at": "x",
            "to_table": "T3",
        }
    ],
    "cancelled": [],
}


def test_a_registration_event_tells_each_participant_in_their_locale() -> None:
    messages = registration_messages("registration.validated", "d1", [ADA, BOB], NAMES, "", LINKS)

    assert [(m.kind, m.recipient.participant_id) for m in messages] == [
        ("registration_validated", "p1"),
        ("registration_validated", "p2"),
    ]
    assert (
        messages[0].context["event_name"] == "Rencontres" and messages[1].context["event_name"] == "Meetings"
    )
    assert messages[0].context["sign_in_link"] == LINKS.sign_in


def test_the_key_is_stable_and_differs_by_recipient_kind_and_part() -> None:
    [a1, b1] = registration_messages("registration.validated", "d1", [ADA, BOB], NAMES, "", LINKS)
    [a2, _] = registration_messages("registration.validated", "d1", [ADA, BOB], NAMES, "", LINKS)

    assert a1.key == a2.key == message_key("d1", "p1", "registration_validated")
    assert a1.key != b1.key
    assert message_key("d1", "p1", "meeting_moved", "m1") != message_key("d1", "p1", "meeting_moved", "m2")
    assert message_key("d2", "p1", "registration_validated") != a1.key


def test_a_first_agenda_is_published_by_email_only() -> None:
    messages = agenda_messages("d", ADA, 1, CHANGES, NAMES, "Europe/Paris", LINKS, sms_active=True)

    assert [(m.channel, m.kind) for m in messages] == [("email", "agenda_published")]


def test_a_change_after_activation_sends_one_sms_per_change_in_the_event_time_zone() -> None:
    messages = agenda_messages("d", ADA, 2, CHANGES, NAMES, "Europe/Paris", LINKS, sms_active=True)

    assert [(m.channel, m.kind, m.part) for m in messages] == [
        ("email", "agenda_changed", ""),
        ("sms", "meeting_added", "m1"),
        ("sms", "meeting_moved", "m2"),
    ]
    assert messages[2].context["when"] == "12/03 11:00" and messages[2].context["from_when"] == "12/03 10:00"
    assert len({m.key for m in messages}) == 3


def test_no_sms_before_activation_nor_without_a_verified_mobile() -> None:
    before = agenda_messages("d", ADA, 2, CHANGES, NAMES, "Europe/Paris", LINKS, sms_active=False)
    unverified = agenda_messages("d", BOB, 2, CHANGES, NAMES, "Europe/Paris", LINKS, sms_active=True)

    assert [m.channel for m in before] == ["email"] and [m.channel for m in unverified] == ["email"]


def test_times_read_in_the_recipients_locale() -> None:
    assert when("2027-03-12T08:00:00+00:00", "Europe/Paris", "fr") == "12/03 09:00"
    assert when("2027-03-12T08:00:00+00:00", "Europe/Paris", "en") == "Mar 12 09:00"


def test_a_consent_request_tells_the_erased_person_alone_with_the_link_and_its_last_day() -> None:
    [message] = consent_messages(
        "d9", ADA, NAMES, "https://app/consents/tok", "2027-03-01T22:30:00Z", "Europe/Paris"
    )

    assert (message.channel, message.kind, message.recipient) == ("email", "consent_requested", ADA)
    assert message.context["consent_link"] == "https://app/consents/tok"
    assert message.context["due_date"] == "01/03/2027"  # 23:30 in Paris: still the 1st
    assert message.context["event_name"] == "Rencontres"
