"""A mailing as one recipient reads it: the organiser's texts with their placeholders filled, and the
signed one-click unsubscribe link."""

from __future__ import annotations

from typing import Any

from salon.kernel.person_key import signing_key
from salon.kernel.settings import get_settings
from salon.notify.domain import unsubscribe
from salon.notify.domain.mailings import render_mailing
from salon.notify.domain.messages import Recipient, message_key
from salon.notify.domain.render import RenderedEmail
from salon.registration.domain.events import Event


def unsubscribe_url(tenant_id: str, message_key: str) -> str:
    token = unsubscribe.sign(message_key, signing_key("unsubscribe", tenant_id))
    return f"{get_settings().app_url.rstrip('/')}/unsubscribe/{token}"


def mailing_key(mailing_id: str, participant_id: str) -> str:
    """The message key of a mailing to one recipient (its dedupe id is the mailing and the recipient)."""
    return message_key(f"{mailing_id}:{participant_id}", participant_id, "mailing")


def values_for(recipient: Recipient, event: Event) -> dict[str, Any]:
    locale_name = getattr(event.name, recipient.locale) or event.name.fr or event.name.en or ""
    base = get_settings().app_url.rstrip("/")
    return {
        "first_name": recipient.first_name,
        "last_name": recipient.last_name,
        "company": recipient.company,
        "event_name": locale_name,
        "sign_in_link": f"{base}/sign-in?event={event.event_id}",
        "agenda_link": f"{base}/agenda?event={event.event_id}",
    }


def render_for(
    tenant_id: str,
    mailing: dict[str, Any],
    recipient: Recipient,
    event: Event,
    unsubscribe: str | None = None,
) -> RenderedEmail:
    """The mailing as ``recipient`` reads it; ``unsubscribe``: their link, if signed already."""
    values = values_for(recipient, event)
    key = mailing_key(mailing["mailing_id"], recipient.participant_id)
    footer = {
        "event_name": values["event_name"],
        "logo_url": event.branding.logo_url,
        "unsubscribe_url": unsubscribe or unsubscribe_url(tenant_id, key),
    }
    locale = recipient.locale
    return render_mailing(mailing["subject"][locale], mailing["body"][locale], locale, values, footer)
