"""E-mail through SES v2: one MIME message, so HTML, text and the RFC 8058 unsubscribe headers travel
together, sent in the configuration set whose event destination reports deliveries, bounces and
complaints. Tenant, participant and message key travel as SES tags: a bounce finds its log entry."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formataddr, parseaddr
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from salon.kernel import aws
from salon.kernel.platform import AreaDeps, Platform
from salon.notify.adapters.failures import SendFailed
from salon.notify.domain.render import RenderedEmail


@functools.cache
def _ses(endpoint: str, region: str) -> Any:
    return boto3.client("sesv2")


@dataclass(frozen=True)
class Envelope:
    sender: str  # an address of the verified identity
    sender_name: str
    to: str
    kind: str  # the message kind, in the X-Salon-Kind header (support, the local outbox)
    reply_to: str | None = None
    unsubscribe_url: str | None = None  # RFC 8058 one-click (POST) unsubscribe


def mime(envelope: Envelope, rendered: RenderedEmail) -> EmailMessage:
    message = EmailMessage()
    _, address = parseaddr(envelope.sender)
    message["From"] = formataddr((envelope.sender_name, address)) if envelope.sender_name else address
    message["To"] = str(Address(addr_spec=envelope.to))
    if envelope.reply_to:
        message["Reply-To"] = envelope.reply_to
    message["Subject"] = rendered.subject
    message["X-Salon-Kind"] = envelope.kind
    if envelope.unsubscribe_url:
        message["List-Unsubscribe"] = f"<{envelope.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    return message


class SesMailer:
    def __init__(self, configuration_set: str) -> None:
        self.configuration_set = configuration_set

    def send(self, envelope: Envelope, rendered: RenderedEmail, tags: dict[str, str]) -> str:
        kwargs: dict[str, Any] = {
            "FromEmailAddress": parseaddr(envelope.sender)[1],
            "Destination": {"ToAddresses": [envelope.to]},
            "Content": {"Raw": {"Data": mime(envelope, rendered).as_bytes()}},
            "EmailTags": [{"Name": k, "Value": v} for k, v in sorted(tags.items())],
        }
        if self.configuration_set:
            kwargs["ConfigurationSetName"] = self.configuration_set
        try:
            return str(_ses(*aws.where()).send_email(**kwargs)["MessageId"])
        except (BotoCoreError, ClientError) as exc:
            raise SendFailed("SES did not accept the message") from exc


def _build(shared: Platform) -> SesMailer:
    return SesMailer(shared.settings.notify_configuration_set)


mailer = AreaDeps(_build)  # lazily built; tests may override it
