"""SMS text and numbers: GSM-7 or UCS-2 length in segments, E.164 parsing. Pure."""

from __future__ import annotations

import phonenumbers

MAX_SEGMENTS = 2
GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = "^{}\\[~]|€\f"  # two septets each


class InvalidNumber(ValueError):
    pass


def is_gsm7(text: str) -> bool:
    return all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text)


def units(text: str) -> int:
    """Septets (GSM-7) or UTF-16 code units (UCS-2) the text takes."""
    if is_gsm7(text):
        return sum(2 if c in GSM7_EXTENSION else 1 for c in text)
    return len(text.encode("utf-16-le")) // 2


def segments(text: str) -> int:
    single, multi = (160, 153) if is_gsm7(text) else (70, 67)
    n = units(text)
    return 1 if n <= single else -(-n // multi)


def fit(text: str, max_segments: int = MAX_SEGMENTS) -> str:
    """The text, shortened with "..." if needed, so it takes at most ``max_segments`` segments."""
    if segments(text) <= max_segments:
        return text
    while text and segments(text + "...") > max_segments:
        text = text[:-1]
    return text.rstrip() + "..."


def e164(number: str, default_region: str = "FR") -> str:
    """A valid mobile (or fixed-or-mobile) number in E.164, or InvalidNumber."""
    try:
        parsed = phonenumbers.parse(number, default_region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidNumber("not a phone number") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidNumber("not a valid phone number")
    kind = phonenumbers.number_type(parsed)
    if kind not in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE):
        raise InvalidNumber("not a mobile number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
