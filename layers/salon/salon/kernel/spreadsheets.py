"""Spreadsheets for exports: rows written as CSV (UTF-8 with a BOM so Excel reads the accents; ``;``
for Excel in French) or XLSX, and free text kept from running as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Literal

Separator = Literal[",", ";"]
Cell = str | int
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Free text a spreadsheet must not run as a formula (a leading quote keeps it text)."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def to_csv(table: Sequence[Sequence[Cell]], separator: Separator = ",") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=separator, lineterminator="\r\n").writerows(table)
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(table: Sequence[Sequence[Cell]], title: str = "Sheet1") -> bytes:
    from openpyxl import Workbook  # only exports need it: kept off the function's cold start

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = title
    for row in table:
        sheet.append(list(row))
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
