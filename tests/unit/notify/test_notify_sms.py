"""SMS length in GSM-7 and UCS-2 segments, and phone numbers in E.164."""

from __future__ import annotations

import pytest
from salon.notify.domain.sms import InvalidNumber, e164, fit, is_gsm7, segments


def test_gsm7_and_ucs2_segment_sizes() -> None:
    assert is_gsm7("RDV déplacé à 10:00") and segments("a" * 160) == 1 and segments("a" * 161) == 2
    assert segments("a" * 306) == 2 and segments("a" * 307) == 3
    assert not is_gsm7("Réunion ê")  # ê is not in GSM-7: the whole text goes as UCS-2
    assert segments("ê" * 70) == 1 and segments("ê" * 71) == 2 and segments("ê" * 135) == 3


def test_extension_characters_take_two_septets() -> None:
    assert segments("€" * 80) == 1 and segments("€" * 81) == 2


@pytest.mark.parametrize("text", ["a" * 500, "ê" * 300, "Rendez-vous déplacé " * 30])
def test_fit_keeps_at_most_two_segments(text: str) -> None:
    fitted = fit(text)

    assert segments(fitted) <= 2 and fitted.endswith("...")
    assert text.startswith(fitted[:-3].rstrip())


def test_a_short_text_is_untouched() -> None:
    assert fit("Salon : RDV 10:00, table 4.") == "Salon : RDV 10:00, table 4."


def test_numbers_are_normalised_to_e164_and_must_be_mobiles() -> None:
    assert e164("06 12 34 56 78") == "+33612345678"
    assert e164("+44 7400 123456") == "+447400123456"
    with pytest.raises(InvalidNumber):
        e164("01 23 45 67 89")  # a French landline
    with pytest.raises(InvalidNumber):
        e164("not a number")
    with pytest.raises(InvalidNumber):
        e164("+33 6 12")
