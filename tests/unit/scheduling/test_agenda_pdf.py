"""Printable agendas: the PDF's pages and the text it shows (read back from its content streams)."""

from __future__ import annotations

import re
import zlib
from datetime import datetime
from zoneinfo import ZoneInfo

from salon.scheduling.domain.agenda_pdf import (
    ENCODING,
    Party,
    Slot,
    participant_agenda,
    printable,
    table_sheets,
)

PARIS = ZoneInfo("Europe/Paris")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, 3, day, hour, minute, tzinfo=PARIS)


SLOTS = [
    Slot(at(10, 9), at(10, 9, 30), "T1", (Party("Œuvres Dupont", ("Zoé Martin",)),)),
    Slot(at(10, 12), at(10, 13), pause="lunch"),
    Slot(at(11, 9), at(11, 9, 30), "T2", (Party("Acme", ()),)),
]


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", pdf))


def shown_text(pdf: bytes) -> str:
    """The strings the pages draw (fpdf2 compresses each page's content stream)."""
    texts: list[str] = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            continue  # not a page (fonts, metadata)
        texts += [t.decode(ENCODING) for t in re.findall(rb"\((.*?)\) ?Tj", content)]
    return "\n".join(texts)


def test_a_participant_s_agenda_shows_days_meetings_and_pauses_in_french() -> None:
    pdf = participant_agenda(
        event="Salon Été", participant="Léa Petit", company="Acheteur", version=2, slots=SLOTS, locale="fr"
    )

    assert pdf.startswith(b"%PDF-") and pages(pdf) == 1
    text = shown_text(pdf)
    for expected in (
        "Salon Été",
        "Léa Petit - Acheteur",
        "Agenda, version 2",
        "Mercredi 10 mars 2027",
        "Jeudi 11 mars 2027",
        "09:00 - 09:30",
        "Table T1  Œuvres Dupont",
        "Avec: Zoé Martin",
        "Déjeuner",
    ):
        assert expected in text
    assert text.index("Déjeuner") < text.index("Jeudi 11 mars 2027")  # each day under its heading


def test_an_empty_agenda_says_so_in_english() -> None:
    text = shown_text(
        participant_agenda(event="E", participant="P", company="C", version=0, slots=[], locale="en")
    )

    assert "No meeting." in text


def test_table_sheets_give_one_page_per_table_with_both_companies() -> None:
    both = (Party("Acheteur", ("Léa Petit",)), Party("Fournisseur", ("Bo Li",)))
    sheets = [("T1", [Slot(at(10, 9), at(10, 9, 30), "T1", both)]), ("T2", [])]

    pdf = table_sheets(event="Salon", tables=sheets, locale="en")

    assert pages(pdf) == 2
    text = shown_text(pdf)
    assert "Table T1" in text and "Table T2" in text
    assert "Acheteur / Fournisseur" in text and "Acheteur: Léa Petit" in text and "Fournisseur: Bo Li" in text
    assert "No meeting." in text


def test_characters_the_fonts_lack_lose_their_accent_or_become_a_question_mark() -> None:
    assert printable("Œuvre “é” €") == "Œuvre “é” €"  # all in Windows-1252
    assert printable("Łódź Żak") == "?ódz Zak"  # ó is in Windows-1252, Ł has no unaccented form
    assert printable("東京") == "??"
