"""Organiser mailings: their templates checked before anything is sent, their audience, and what a
recipient reads. Pure."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, Literal

from jinja2 import Template, TemplateSyntaxError, meta
from jinja2.exceptions import SecurityError, UndefinedError
from markupsafe import Markup
from pydantic import Field

from salon.kernel.errors import FieldError
from salon.kernel.values import StrictModel
from salon.notify.domain.render import RenderedEmail, compose, environment

RECIPIENT_EVENT = "mailing.recipient"  # a mailing's message to one recipient, on the notify queue
PLACEHOLDERS = frozenset({"first_name", "last_name", "company", "event_name", "sign_in_link", "agenda_link"})
Locale = Literal["fr", "en"]
State = Literal["submitted", "validated", "refused"]
Completeness = Literal["complete", "incomplete"]
COMPLETE = 100  # a registration's completeness: the percentage of its visible fields answered


# Processing flags a data-subject request leaves: a mailing (direct marketing) skips their participants.
UNMAILABLE_FLAGS = ("restriction", "objection")


def unmailable(flags: Mapping[str, frozenset[str]]) -> frozenset[str]:
    """The participant ids a mailing skips, from a company's flags (kind -> participant ids)."""
    return frozenset().union(*(flags.get(kind, frozenset()) for kind in UNMAILABLE_FLAGS))


def _validated() -> list[State]:
    return ["validated"]


class Texts(StrictModel):
    fr: str = Field(min_length=1, max_length=20_000)
    en: str = Field(min_length=1, max_length=20_000)


class Subjects(StrictModel):
    fr: str = Field(min_length=1, max_length=200)
    en: str = Field(min_length=1, max_length=200)


class Audience(StrictModel):
    types: list[str] = Field(
        default_factory=list, max_length=20, description="participation types; all if empty"
    )
    states: list[State] = Field(default_factory=_validated, min_length=1)
    completeness: Completeness | None = Field(
        default=None, description="registrations with every visible field answered, or not; all if absent"
    )
    without_meeting: bool = Field(
        default=False, description="only participants with no published meeting in the event yet"
    )


def completeness_matches(wanted: str | None, sheet: Mapping[str, Any]) -> bool:
    """Whether a registration sheet is as complete as an audience asks (any, if it does not ask)."""
    if wanted is None:
        return True
    return (int(sheet.get("completeness", 0)) >= COMPLETE) == (wanted == "complete")


def has_meeting(agenda: Mapping[str, Any] | None) -> bool:
    """Whether a participant's published agenda holds a meeting."""
    return bool(agenda and agenda.get("meeting_ids"))


class MailingInput(StrictModel):
    subject: Subjects
    body: Texts
    audience: Audience = Field(default_factory=Audience)


def template_errors(mailing: MailingInput) -> list[FieldError]:
    """Each template that does not parse, or names a placeholder Salon does not fill (422 before sending)."""
    errors: list[FieldError] = []
    env = environment(html=False)
    for part, texts in (("subject", mailing.subject), ("body", mailing.body)):
        for locale in ("fr", "en"):
            source = getattr(texts, locale)
            where = f"{part}.{locale}"
            try:
                unknown = sorted(meta.find_undeclared_variables(env.parse(source)) - PLACEHOLDERS)
            except TemplateSyntaxError as exc:
                errors.append(FieldError(where, f"not a valid template: {exc.message}"))
                continue
            if unknown:
                errors.append(
                    FieldError(where, f"unknown placeholder(s) {unknown}; known: {sorted(PLACEHOLDERS)}")
                )
    return errors


class RenderFailed(ValueError):
    pass


@functools.lru_cache(maxsize=64)
def _compiled(source: str, *, html: bool) -> Template:
    """A mailing's text compiled once per execution environment (thousands of recipients share it)."""
    return environment(html=html).from_string(source)


def render_mailing(
    subject: str, body: str, locale: str, values: dict[str, Any], footer: dict[str, Any]
) -> RenderedEmail:
    """A mailing for one recipient: the organiser's text, escaped in HTML like every value."""
    try:
        text_subject = _compiled(subject, html=False).render(values)
        text_body = _compiled(body, html=False).render(values)
        html_body = _compiled(body, html=True).render(values)
    except (UndefinedError, SecurityError, TemplateSyntaxError) as exc:
        raise RenderFailed(str(exc)) from exc
    return compose(" ".join(text_subject.split()), text_body, Markup(html_body), locale, footer)
