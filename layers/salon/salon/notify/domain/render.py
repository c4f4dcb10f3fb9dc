"""Rendering messages from the templates in ``salon/notify/templates`` (Jinja2, sandboxed, strict).

An e-mail template sets ``subject`` (and, for a button, ``action_label`` and ``action_url``) and its
output is the body: paragraphs separated by blank lines. It is rendered twice: as plain text, and
autoescaped for the HTML layout, so a value (a company name, a reason) can never inject markup.
A missing value is an error (StrictUndefined), not an empty string. Pure: no I/O but the templates.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


@functools.cache
def environment(*, html: bool) -> SandboxedEnvironment:
    return SandboxedEnvironment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=html,
        undefined=StrictUndefined,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def paragraphs(body: str) -> list[str]:
    return [p.strip() for p in body.strip().split("\n\n") if p.strip()]


def render_email(kind: str, locale: str, context: dict[str, Any], *, footer: dict[str, Any]) -> RenderedEmail:
    """The e-mail ``kind`` in ``locale``; ``footer`` carries the branding and the unsubscribe link."""
    name = f"{locale}/{kind}.j2"
    text_module = environment(html=False).get_template(name).make_module(context)
    html_module = environment(html=True).get_template(name).make_module(context)
    subject: object = getattr(text_module, "subject")  # noqa: B009 (the template sets it)
    return compose(
        str(subject).strip(),
        str(text_module),
        Markup(str(html_module)),
        locale,
        {**footer, **_action(text_module)},
    )


def compose(
    subject: str, text_body: str, html_body: Markup, locale: str, extra: dict[str, Any]
) -> RenderedEmail:
    """The text and HTML layouts around a body already rendered (``html_body`` already escaped)."""
    values = {"subject": subject, "locale": locale, "action_url": None, "action_label": None, **extra}
    text = (
        environment(html=False)
        .get_template("layout.txt.j2")
        .render(paragraphs=paragraphs(text_body), **values)
    )
    html = (
        environment(html=True)
        .get_template("layout.html.j2")
        .render(paragraphs=[Markup(p) for p in paragraphs(str(html_body))], **values)
    )
    return RenderedEmail(subject=subject, text=text.strip() + "\n", html=html)


def _action(module: Any) -> dict[str, str]:
    label, url = getattr(module, "action_label", None), getattr(module, "action_url", None)
    if not label or not url:
        return {}
    return {"action_label": str(label).strip(), "action_url": str(url).strip()}


def render_sms(kind: str, locale: str, context: dict[str, Any]) -> str:
    text = environment(html=False).get_template(f"{locale}/sms_{kind}.j2").render(context)
    return " ".join(text.split())
