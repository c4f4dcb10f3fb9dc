"""A participant's mobile for SMS: ``POST /me/phone`` sends a one-time code to the number, ``POST
/me/phone/verify`` checks it (5 tries). Only a verified number receives SMS; a number that replied
STOP to the tenant gets no code either."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets

from pydantic import BaseModel, Field

from salon.kernel.caller import Caller, require
from salon.kernel.errors import Conflict, FieldError, NotFound, ValidationFailed
from salon.kernel.person_key import person_key
from salon.kernel.principal import SELF
from salon.kernel.user_links import UserLinks
from salon.kernel.values import StrictModel
from salon.notify import deps
from salon.notify.adapters.sms_sender import texter
from salon.notify.domain.sms import InvalidNumber, e164

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
CODE_TEXT = {
    "fr": "Salon : votre code de vérification est {code}.",
    "en": "Salon: your verification code is {code}.",
}


class PhoneInput(StrictModel):
    number: str = Field(min_length=3, max_length=32, description="a mobile number, E.164 or national (FR)")
    event_id: str | None = Field(default=None, min_length=1, max_length=64)


class CodeInput(StrictModel):
    code: str = Field(pattern=r"^[0-9]{6}$")
    event_id: str | None = Field(default=None, min_length=1, max_length=64)


class PhoneOut(BaseModel):
    participant_id: str
    number: str  # E.164
    verified: bool


def _participation(caller: Caller, event_id: str | None) -> tuple[str, str, str]:
    principal = require(caller, SELF)
    links = UserLinks(deps.get().platform.table).of(principal.tenant_id, principal.sub)
    if event_id is not None:
        links = [link for link in links if link["event_id"] == event_id]
    if not links:
        raise NotFound("no participation of yours matches")
    if len({link["event_id"] for link in links}) > 1:
        raise ValidationFailed(
            "you take part in several events", errors=[FieldError("event_id", "required: several events")]
        )
    link = sorted(links, key=lambda item: str(item["participant_id"]))[0]
    return principal.tenant_id, str(link["participant_id"]), str(link["event_id"])


def _digest(participant_id: str, number: str, code: str) -> str:
    return hmac.new(code.encode(), f"{participant_id}:{number}".encode(), hashlib.sha256).hexdigest()


def start(caller: Caller, body: PhoneInput) -> PhoneOut:
    t, pid, event_id = _participation(caller, body.event_id)
    try:
        number = e164(body.number)
    except InvalidNumber as exc:
        raise ValidationFailed(str(exc), errors=[FieldError("number", str(exc))]) from exc
    d = deps.get()
    if d.suppressions.scope_of(t, "sms", person_key(t, number)) is not None:
        raise Conflict("this number opted out of SMS (STOP)")
    code = f"{secrets.randbelow(10**6):06d}"
    d.mobiles.start(t, pid, event_id, number, _digest(pid, number, code), d.clock())
    _, people, _ = d.people.company(t, d.people.registration_of(t, pid) or "", (pid,))
    locale = people[0].locale if people else "en"
    texter.get().send(number, CODE_TEXT[locale].format(code=code), "phone_code")
    logger.info("phone code sent", extra={"participant_id": pid})
    return PhoneOut(participant_id=pid, number=number, verified=False)


def verify(caller: Caller, body: CodeInput) -> PhoneOut:
    t, pid, _ = _participation(caller, body.event_id)
    d = deps.get()
    mobile = d.mobiles.get(t, pid)
    if mobile is None:
        raise NotFound("no number waiting for a code: POST /me/phone first")
    number = str(mobile["number"])
    if mobile.get("verified_at"):
        return PhoneOut(participant_id=pid, number=number, verified=True)
    if int(mobile.get("attempts", 0)) >= MAX_ATTEMPTS:
        raise Conflict("too many wrong codes: ask for a new one (POST /me/phone)")
    if not hmac.compare_digest(str(mobile.get("code_hash", "")), _digest(pid, number, body.code)):
        d.mobiles.attempt(t, pid)
        raise ValidationFailed("wrong code", errors=[FieldError("code", "wrong code")])
    d.mobiles.verified(t, pid, d.clock())
    logger.info("phone verified", extra={"participant_id": pid})
    return PhoneOut(participant_id=pid, number=number, verified=True)
