"""The certificate as a PDF the DPO can hand to the person (fpdf2; core fonts, ids and counts only)."""

from __future__ import annotations

from typing import Any

from fpdf import FPDF


def latin1(value: object) -> str:
    """The core fonts are Latin-1: anything else becomes '?' rather than failing the certificate."""
    return str(value).encode("latin-1", "replace").decode("latin-1")


def render(certificate: dict[str, Any]) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 10, latin1(f"Data-subject request {certificate['dsar_id']}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    for label in ("kind", "received_at", "verified_by_method", "completed_at", "statement"):
        pdf.multi_cell(0, 6, latin1(f"{label}: {certificate.get(label, '')}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 10)
    with pdf.table(col_widths=(70, 25, 15, 15, 65)) as table:
        table.row(["store", "rule", "before", "after", "note"])
        pdf.set_font("Helvetica", size=8)
        for store in certificate["stores"]:
            table.row(
                [
                    latin1(store["target"]),
                    latin1(store["rule"]),
                    "-" if store["before"] is None else str(store["before"]),
                    "-" if store["after"] is None else str(store["after"]),
                    latin1(store["note"]),
                ]
            )
    return bytes(pdf.output())
