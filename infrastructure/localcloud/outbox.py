"""Everything the local cloud sends, captured: each e-mail as an ``.eml`` file and each SMS as a JSON
file under the outbox directory (``.local/outbox/`` by default), named so that newest sorts last.

`install(directory)` wraps moto's SES (``send_email``, ``send_raw_email``: SES v2 ends there too) and
SNS ``publish`` to a phone number: moto keeps the message as before and a copy is written. Production
code knows nothing of it: the capture lives in the local cloud only.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from localcloud.template import REPO_ROOT

DEFAULT_DIRECTORY = REPO_ROOT / ".local" / "outbox"
KIND_HEADER = "X-Salon-Kind"
KIND_ATTRIBUTE = "salon.kind"
INVITATION_KIND = "account_invitation"

_ORIGINALS: dict[str, Callable[..., Any]] = {}
_LOCK = threading.Lock()
_SEQUENCE = itertools.count()
_DIRECTORY: list[Path] = []


@dataclass(frozen=True)
class Captured:
    path: Path
    channel: str  # email | sms
    to: str
    kind: str


def install(directory: Path = DEFAULT_DIRECTORY) -> None:
    from moto.ses.models import SESBackend
    from moto.sns.models import SNSBackend

    directory.mkdir(parents=True, exist_ok=True)
    _DIRECTORY[:] = [directory]
    if _ORIGINALS:
        return
    _ORIGINALS["send_email"] = SESBackend.send_email
    _ORIGINALS["send_raw_email"] = SESBackend.send_raw_email
    _ORIGINALS["publish"] = SNSBackend.publish
    setattr(SESBackend, "send_email", _send_email)  # noqa: B010
    setattr(SESBackend, "send_raw_email", _send_raw_email)  # noqa: B010
    setattr(SNSBackend, "publish", _publish)  # noqa: B010


def uninstall() -> None:
    from moto.ses.models import SESBackend
    from moto.sns.models import SNSBackend

    if _ORIGINALS:
        setattr(SESBackend, "send_email", _ORIGINALS.pop("send_email"))  # noqa: B010
        setattr(SESBackend, "send_raw_email", _ORIGINALS.pop("send_raw_email"))  # noqa: B010
        setattr(SNSBackend, "publish", _ORIGINALS.pop("publish"))  # noqa: B010


def directory() -> Path:
    return _DIRECTORY[0] if _DIRECTORY else DEFAULT_DIRECTORY


def _name(suffix: str) -> Path:
    with _LOCK:
        number = next(_SEQUENCE)
    return directory() / f"{time.time_ns():020d}-{number:06d}.{suffix}"


def _send_email(
    backend: Any, source: str, subject: str, body: str, destinations: dict[str, list[str]]
) -> Any:
    message = _ORIGINALS["send_email"](backend, source, subject, body, destinations)
    mail = EmailMessage()
    mail["From"] = source
    mail["To"] = ", ".join(a for addresses in destinations.values() for a in addresses)
    mail["Subject"] = subject
    # Salon's only simple (not MIME) sends are Cognito's account invitations, which Cognito sends as HTML.
    mail[KIND_HEADER] = INVITATION_KIND
    mail.set_content(body, subtype="html")
    _name("eml").write_bytes(mail.as_bytes())
    return message


def _send_raw_email(backend: Any, source: str, destinations: list[str], raw_data: str) -> Any:
    message = _ORIGINALS["send_raw_email"](backend, source, destinations, raw_data)
    _name("eml").write_text(raw_data, encoding="utf-8")
    return message


def _publish(
    backend: Any, message: str, arn: str | None, phone_number: str | None = None, **kwargs: Any
) -> Any:
    message_id = _ORIGINALS["publish"](backend, message, arn, phone_number, **kwargs)
    if phone_number:
        attributes = kwargs.get("message_attributes") or {}
        kind = str(
            (attributes.get(KIND_ATTRIBUTE) or {}).get("Value", "")
        )  # moto: DataType -> Type, StringValue -> Value
        record = {"message_id": message_id, "to": phone_number, "kind": kind, "message": message}
        _name("json").write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
    return message_id


def captured(since: float = 0.0) -> list[Captured]:
    """What the outbox holds (written after ``since``, epoch seconds), oldest first."""
    out: list[Captured] = []
    for path in sorted(directory().glob("*.*")):
        if int(path.name.split("-", 1)[0]) < since * 1e9:
            continue
        if path.suffix == ".eml":
            mail = message_from_bytes(path.read_bytes(), policy=policy.default)
            out.append(Captured(path, "email", str(mail.get("To", "")), str(mail.get(KIND_HEADER, ""))))
        elif path.suffix == ".json":
            record = json.loads(path.read_text(encoding="utf-8"))
            out.append(Captured(path, "sms", record["to"], record.get("kind", "")))
    return out
