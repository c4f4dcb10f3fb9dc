"""Mailing texts are checked before anything is sent; unsubscribe tokens are signed and short."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from salon.notify.domain.mailings import (
    MailingInput,
    completeness_matches,
    has_meeting,
    render_mailing,
    template_errors,
    unmailable,
)
from salon.notify.domain.unsubscribe import BadToken, message_key_of, sign, verify

KEY = "a" * 40


def mailing(subject: str = "{{ event_name }}", body: str = "Hello {{ first_name }}") -> MailingInput:
    return MailingInput.model_validate(
        {"subject": {"fr": subject, "en": subject}, "body": {"fr": body, "en": "Hi {{ company }}"}}
    )


def test_known_placeholders_pass() -> None:
    assert (
        template_errors(mailing(body="{{ first_name }} {{ last_name }} {{ sign_in_link }} {{ agenda_link }}"))
        == []
    )


def test_an_unknown_placeholder_and_a_broken_template_name_their_field() -> None:
    errors = template_errors(mailing(subject="{{ event_name", body="{{ password }}"))

    assert [e.field for e in errors] == ["subject.fr", "subject.en", "body.fr"]
    assert "password" in errors[2].message


def test_the_sandbox_refuses_reaching_into_python() -> None:
    errors = template_errors(mailing(body="{{ first_name.__class__.__mro__ }}"))
    assert errors == []  # the name is known...
    with pytest.raises(ValueError):  # ...but the sandbox refuses the attribute at render time
        render_mailing(
            "s", "{{ first_name.__class__.__mro__[1].__subclasses__() }}", "en", {"first_name": "x"}, {}
        )


def test_values_are_escaped_in_html_only() -> None:
    footer = {"event_name": "E", "logo_url": None, "unsubscribe_url": "https://u/x"}
    rendered = render_mailing(
        "Hi {{ first_name }}", "Dear {{ first_name }}", "en", {"first_name": "<i>Zoé</i>"}, footer
    )

    assert rendered.subject == "Hi <i>Zoé</i>" and "Dear <i>Zoé</i>" in rendered.text
    assert "&lt;i&gt;Zoé&lt;/i&gt;" in rendered.html and "<i>" not in rendered.html


def test_tokens_verify_only_under_their_key_and_fit_a_path_id() -> None:
    token = sign(KEY, b"tenant-key")

    assert len(token) <= 64 and message_key_of(token) == KEY
    assert verify(token, b"tenant-key") == KEY
    with pytest.raises(BadToken):
        verify(token, b"another-tenant")
    with pytest.raises(BadToken):
        message_key_of("not-a-token")


def test_a_restriction_or_an_objection_takes_the_participant_out_of_mailings() -> None:
    flags = {
        "restriction": frozenset({"par_r"}),
        "objection": frozenset({"par_o"}),
        "other": frozenset({"par_x"}),
    }
    assert unmailable(flags) == {"par_r", "par_o"}
    assert unmailable({}) == frozenset()


def test_the_audience_filters_by_completeness_and_meetings_and_refuses_unknown_values() -> None:
    texts = {"subject": {"fr": "s", "en": "s"}, "body": {"fr": "b", "en": "b"}}
    audience = MailingInput.model_validate(
        {**texts, "audience": {"completeness": "incomplete", "without_meeting": True}}
    ).audience
    assert (audience.completeness, audience.without_meeting) == ("incomplete", True)
    for bad in ({"completeness": "half"}, {"without_meeting": "sometimes"}, {"has_meetings": True}):
        with pytest.raises(ValidationError):
            MailingInput.model_validate({**texts, "audience": bad})


@pytest.mark.parametrize(
    ("wanted", "completeness", "matches"),
    [
        (None, 40, True),
        ("complete", 100, True),
        ("complete", 99, False),
        ("incomplete", 99, True),
        ("incomplete", 100, False),
    ],
)
def test_completeness_is_every_visible_field_answered(
    wanted: str | None, completeness: int, matches: bool
) -> None:
    assert completeness_matches(wanted, {"completeness": completeness}) is matches


def test_a_meeting_is_one_on_the_published_agenda() -> None:
    assert has_meeting({"meeting_ids": ["mtg_1"]})
    assert not has_meeting({"meeting_ids": []})  # every meeting of the agenda cancelled
    assert not has_meeting(None)  # nothing published for the participant
