"""Sending: e-mail through SES v2 (a MIME message, so HTML, text and the RFC 8058 unsubscribe headers
travel together, in the configuration set whose event destinations report bounces and complaints),
SMS through SNS. The message key travels as an SES tag so a bounce finds its delivery log entry."""

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
from salon.notify.domain.render import RenderedEmail


class SendFailed(Exception):
    """The provider refused or could not be reached: the message is retried (SQS)."""


@functools.cache
def _client(service: str, endpoint: str, region: str) -> Any:
    return boto3.client(service)


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
            return str(_client("sesv2", *aws.where()).send_email(**kwargs)["MessageId"])
        except (BotoCoreError, ClientError) as exc:
            raise SendFailed("SES did not accept the message") from exc


class SnsTexter:
    def send(self, number: str, text: str, kind: str, sender_id: str | None = None) -> str:
        attributes: dict[str, Any] = {
            "AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"},
            "salon.kind": {"DataType": "String", "StringValue": kind},
        }
        if sender_id:
            attributes["AWS.SNS.SMS.SenderID"] = {"DataType": "String", "StringValue": sender_id}
        try:
            response = _client("sns", *aws.where()).publish(
                PhoneNumber=number, Message=text, MessageAttributes=attributes
            )
        except (BotoCoreError, ClientError) as exc:
            raise SendFailed("SNS did not accept the SMS") from exc
        return str(response["MessageId"])
