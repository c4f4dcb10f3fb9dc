"""Printable agendas (fpdf2): a participant's agenda, and the table sheets the hosts use at the venue
(one page per table, its meetings by slot with both companies). In French or English. Pure.

The PDF's built-in fonts (Helvetica) need no font file in the Lambda layer; they cover Windows-1252,
which holds French; any other character is spelt without its accent, or as "?"."""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fpdf import FPDF

ENCODING = "windows-1252"
HOURS_WIDTH = 32  # mm, the column of a line's hours
WORDS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "agenda": "Agenda",
        "table": "Table",
        "time": "Time",
        "with": "With",
        "company": "Company",
        "no_meeting": "No meeting.",
        "version": "version",
        "lunch": "Lunch",
        "coffee": "Coffee break",
        "other": "Break",
        "table_sheet": "Table sheet",
        "companies": "Companies",
    },
    "fr": {
        "agenda": "Agenda",
        "table": "Table",
        "time": "Heure",
        "with": "Avec",
        "company": "Société",
        "no_meeting": "Aucun rendez-vous.",
        "version": "version",
        "lunch": "Déjeuner",
        "coffee": "Pause café",
        "other": "Pause",
        "table_sheet": "Feuille de table",
        "companies": "Sociétés",
    },
}
MONTHS = {
    "en": "January February March April May June July August September October November December",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
}
WEEKDAYS = {
    "en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday",
    "fr": "lundi mardi mercredi jeudi vendredi samedi dimanche",
}


@dataclass(frozen=True)
class Party:
    """A company at a meeting and its attending participants' names."""

    company: str
    attendees: tuple[str, ...]


@dataclass(frozen=True)
class Slot:
    """A line of a printed agenda: a meeting (with the other party, or both on a table sheet) or a
    pause (``pause`` names its kind, no parties)."""

    starts_at: datetime  # aware, in the event's time zone
    ends_at: datetime
    table: str = ""
    parties: tuple[Party, ...] = ()
    pause: str | None = None


def participant_agenda(
    *, event: str, participant: str, company: str, version: int, slots: Sequence[Slot], locale: str
) -> bytes:
    words = _words(locale)
    pdf = _document(f"{words['agenda']} - {event}")
    pdf.add_page()
    _title(pdf, event, f"{participant} - {company}", f"{words['agenda']}, {words['version']} {version}")
    meetings = [s for s in slots if s.pause is None]
    if not meetings:
        _line(pdf, words["no_meeting"])
    _days(pdf, slots if meetings else [], locale, with_table=True)
    return bytes(pdf.output())


def table_sheets(*, event: str, tables: Sequence[tuple[str, Sequence[Slot]]], locale: str) -> bytes:
    """One page per (table label, its meetings)."""
    words = _words(locale)
    pdf = _document(f"{words['table_sheet']} - {event}")
    for label, slots in tables:
        pdf.add_page()
        _title(pdf, event, f"{words['table']} {label}", words["table_sheet"])
        if not slots:
            _line(pdf, words["no_meeting"])
        _days(pdf, slots, locale, with_table=False)
    if not tables:
        pdf.add_page()
        _title(pdf, event, words["table_sheet"], "")
        _line(pdf, words["no_meeting"])
    return bytes(pdf.output())


def _words(locale: str) -> Mapping[str, str]:
    return WORDS.get(locale, WORDS["en"])


def _document(title: str) -> FPDF:
    from fpdf import FPDF  # only printing needs it (a second and more to import): off the cold start

    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = ENCODING
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(printable(title))
    pdf.set_creator("Salon")
    return pdf


def _title(pdf: FPDF, event: str, who: str, what: str) -> None:
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, printable(event), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 12)
    pdf.multi_cell(0, 7, printable(who), new_x="LMARGIN", new_y="NEXT")
    if what:
        pdf.set_font("Helvetica", "I", 10)
        pdf.multi_cell(0, 6, printable(what), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)


def _line(pdf: FPDF, text: str) -> None:
    pdf.set_font("Helvetica", "", 11)
    _rest_of_line(pdf, text, 6)


def _days(pdf: FPDF, slots: Sequence[Slot], locale: str, *, with_table: bool) -> None:
    """A heading per day, then a line per slot: hours, then the table and companies (or the pause),
    then the attendees."""
    words = _words(locale)
    ordered = sorted(slots, key=lambda s: (s.starts_at, s.table))
    for _, group in itertools.groupby(ordered, key=lambda s: s.starts_at.date()):
        of_day = list(group)
        pdf.set_font("Helvetica", "B", 13)
        pdf.cell(0, 9, printable(long_date(of_day[0].starts_at, locale)), new_x="LMARGIN", new_y="NEXT")
        for slot in of_day:
            _slot(pdf, slot, words, with_table=with_table)
        pdf.ln(2)


def _slot(pdf: FPDF, slot: Slot, words: Mapping[str, str], *, with_table: bool) -> None:
    pdf.set_font("Helvetica", "B" if slot.pause is None else "I", 11)
    pdf.cell(HOURS_WIDTH, 6, f"{slot.starts_at:%H:%M} - {slot.ends_at:%H:%M}")
    if slot.pause is not None:
        _rest_of_line(pdf, words.get(slot.pause, words["other"]), 6)
        return
    place = f"{words['table']} {slot.table}  " if with_table else ""
    _rest_of_line(pdf, place + " / ".join(p.company for p in slot.parties), 6)
    pdf.set_font("Helvetica", "", 10)
    for party in slot.parties:
        if party.attendees:
            pdf.set_x(pdf.l_margin + HOURS_WIDTH)
            people = ", ".join(party.attendees)
            _rest_of_line(
                pdf, f"{words['with']}: {people}" if with_table else f"{party.company}: {people}", 5
            )


def _rest_of_line(pdf: FPDF, text: str, height: float) -> None:
    pdf.multi_cell(0, height, printable(text), new_x="LMARGIN", new_y="NEXT")


def long_date(when: datetime, locale: str) -> str:
    language = locale if locale in MONTHS else "en"
    weekday = WEEKDAYS[language].split()[when.weekday()]
    month = MONTHS[language].split()[when.month - 1]
    if language == "fr":
        return f"{weekday.capitalize()} {when.day} {month} {when.year}"
    return f"{weekday}, {when.day} {month} {when.year}"


def printable(text: str) -> str:
    """The text in the fonts' encoding: other characters lose their accents, or become "?"."""
    out: list[str] = []
    for char in text:
        try:
            char.encode(ENCODING)
            out.append(char)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", char).encode(ENCODING, "ignore").decode(ENCODING)
            out.append("".join(c for c in base if not unicodedata.combining(c)) or "?")
    return "".join(out)
