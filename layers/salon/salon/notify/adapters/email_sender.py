"""E-mail through SES v2: one MIME message, so HTML, text and the RFC 8058 unsubscribe headers travel
together, sent in the configuration set whose event destination reports deliveries, bounces and
complaints. Tenant, participant and message key travel as SES tags: a bounce finds its log entry.

Sends are paced to the account's sending rate (SES GetAccount: SendQuota.MaxSendRate, read once per
cold start; NOTIFY_MAX_SEND_RATE overrides it), shared out between the function's concurrent instances
(the queue mapping's MaximumConcurrency, NOTIFY_CONCURRENCY): a token bucket per instance."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
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


class SendRate:
    """A token bucket: at most ``per_second`` sends a second on average, bursts of one second's worth.
    ``take`` waits (through the injected ``sleep``) until a token is there."""

    def __init__(
        self,
        per_second: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if per_second <= 0:
            raise ValueError("a sending rate is positive")
        self.per_second = per_second
        self.capacity = max(1.0, per_second)
        self.clock = clock
        self.sleep = sleep
        self.tokens = self.capacity
        self.updated = clock()

    def take(self) -> None:
        now = self.clock()
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.per_second)
        self.updated = now
        if self.tokens < 1:
            self.sleep((1 - self.tokens) / self.per_second)
            self.tokens, self.updated = 1.0, self.clock()
        self.tokens -= 1


def account_send_rate() -> float:
    """The account's maximum sends per second (SES v2 GetAccount)."""
    try:
        quota = _ses(*aws.where()).get_account()["SendQuota"]
    except (BotoCoreError, ClientError) as exc:
        raise SendFailed("SES did not tell the sending rate") from exc
    return float(quota["MaxSendRate"])


def instance_rate(configured: float, concurrency: int, account: Callable[[], float]) -> float:
    """This instance's share of the sending rate: the configured one, or else the account's."""
    return (configured or account()) / max(1, concurrency)


class SesMailer:
    def __init__(self, configuration_set: str, pace: Callable[[], SendRate]) -> None:
        self.configuration_set = configuration_set
        self._pace = pace
        self._rate: SendRate | None = None

    def _bucket(self) -> SendRate:
        if self._rate is None:  # first send of this cold start: the quota is read once
            self._rate = self._pace()
        return self._rate

    def send(self, envelope: Envelope, rendered: RenderedEmail, tags: dict[str, str]) -> str:
        kwargs: dict[str, Any] = {
            "FromEmailAddress": parseaddr(envelope.sender)[1],
            "Destination": {"ToAddresses": [envelope.to]},
            "Content": {"Raw": {"Data": mime(envelope, rendered).as_bytes()}},
            "EmailTags": [{"Name": k, "Value": v} for k, v in sorted(tags.items())],
        }
        if self.configuration_set:
            kwargs["ConfigurationSetName"] = self.configuration_set
        self._bucket().take()
        try:
            return str(_ses(*aws.where()).send_email(**kwargs)["MessageId"])
        except (BotoCoreError, ClientError) as exc:
            raise SendFailed("SES did not accept the message") from exc


def _build(shared: Platform) -> SesMailer:
    settings = shared.settings

    def pace() -> SendRate:
        configured, concurrency = settings.notify_max_send_rate, settings.notify_concurrency
        return SendRate(instance_rate(configured, concurrency, account_send_rate))

    return SesMailer(settings.notify_configuration_set, pace)


mailer = AreaDeps(_build)  # lazily built; tests may override it
