"""Every e-mail and SMS template renders in both locales with every placeholder, escapes what it is
given in HTML, and refuses a missing value instead of sending a blank."""

from __future__ import annotations

from typing import Any

import pytest
from jinja2 import UndefinedError
from salon.notify.domain.messages import EMAIL_KINDS, SMS_KINDS
from salon.notify.domain.render import render_email, render_sms

CONTEXT: dict[str, Any] = {
    "first_name": "Zoé <b>",
    "company": "Dupont & Fils",
    "event_name": "Rencontres 2027",
    "other_company": "ACME <script>",
    "reason": "Secteur hors périmètre",
    "sign_in_link": "https://app.salon.example/sign-in?event=ev_1&x=1",
    "agenda_link": "https://app.salon.example/agenda?event=ev_1",
    "added": [{"when": "12/03 09:00", "table": "T1"}],
    "moved": [{"when": "12/03 10:00", "table": "T2", "from_when": "12/03 09:30", "from_table": "T3"}],
    "cancelled": [{"when": "12/03 11:00", "table": "T4"}],
    "deadline": "02/03 18:00",
    "starts": "12/03 08:00",
    "confirm_link": "https://app.salon.example/requalify/tok_1",
    "consent_link": "https://app.salon.example/consents/tok_2",
    "due_date": "31/01/2027",
}
FOOTER = {
    "event_name": "Rencontres 2027",
    "logo_url": "https://cdn.example/logo.png",
    "unsubscribe_url": None,
}
# What each kind must say, beyond the greeting (its placeholders).
SAYS = {
    "registration_received": ["Dupont & Fils"],
    "registration_validated": ["Dupont & Fils", "https://app.salon.example/sign-in?event=ev_1&x=1"],
    "registration_refused": ["Secteur hors périmètre"],
    "request_received": ["ACME <script>", "https://app.salon.example/agenda?event=ev_1"],
    "request_approved": ["ACME <script>"],
    "request_refused": ["ACME <script>", "Secteur hors périmètre"],
    "agenda_published": ["12/03 09:00", "T1"],
    "agenda_changed": ["12/03 09:00", "12/03 09:30", "T3", "12/03 10:00", "12/03 11:00", "T4"],
    "reminder_requests_deadline": ["02/03 18:00", "https://app.salon.example/sign-in?event=ev_1&x=1"],
    "reminder_answers_deadline": ["02/03 18:00", "Dupont & Fils"],
    "reminder_agenda_tomorrow": ["12/03 08:00", "https://app.salon.example/agenda?event=ev_1"],
    "requalification_requested": [
        "Dupont & Fils",
        "31/01/2027",
        "https://app.salon.example/requalify/tok_1",
        "https://app.salon.example/sign-in?event=ev_1&x=1",
    ],
    "consent_requested": ["Dupont & Fils", "31/01/2027", "https://app.salon.example/consents/tok_2"],
}


@pytest.mark.parametrize("locale", ["fr", "en"])
@pytest.mark.parametrize("kind", EMAIL_KINDS)
def test_every_email_renders_with_its_placeholders(kind: str, locale: str) -> None:
    rendered = render_email(kind, locale, CONTEXT, footer=FOOTER)

    assert "Rencontres 2027" in rendered.subject
    assert "Zoé <b>" in rendered.text
    for value in SAYS[kind]:
        assert value in rendered.text
    assert "Zoé &lt;b&gt;" in rendered.html and "<b>" not in rendered.html
    assert "<script>" not in rendered.html
    assert 'src="https://cdn.example/logo.png"' in rendered.html
    assert f'lang="{locale}"' in rendered.html


def test_the_locales_differ() -> None:
    fr = render_email("registration_validated", "fr", CONTEXT, footer=FOOTER)
    en = render_email("registration_validated", "en", CONTEXT, footer=FOOTER)

    assert "Bonjour" in fr.text and "Hello" in en.text
    assert fr.subject != en.subject


def test_an_unsubscribe_link_shows_in_both_bodies() -> None:
    footer = {**FOOTER, "unsubscribe_url": "https://api.salon.example/unsubscribe/tok"}
    rendered = render_email("request_received", "en", CONTEXT, footer=footer)

    assert "Unsubscribe: https://api.salon.example/unsubscribe/tok" in rendered.text
    assert 'href="https://api.salon.example/unsubscribe/tok"' in rendered.html


def test_a_missing_placeholder_is_an_error_not_a_blank() -> None:
    context = {k: v for k, v in CONTEXT.items() if k != "sign_in_link"}

    with pytest.raises(UndefinedError):
        render_email("registration_validated", "en", context, footer=FOOTER)


@pytest.mark.parametrize("locale", ["fr", "en"])
@pytest.mark.parametrize("kind", SMS_KINDS)
def test_every_sms_renders_on_one_line_with_its_placeholders(kind: str, locale: str) -> None:
    context = {"event_name": "Rencontres", "when": "12/03 10:00", "from_when": "12/03 09:30", "table": "T2"}
    text = render_sms(kind, locale, {**context, "reason": "Agenda mis à jour."})

    assert "\n" not in text
    assert "Rencontres" in text and "12/03 10:00" in text and "T2" in text
    assert ("12/03 09:30" in text) == (kind == "meeting_moved")
