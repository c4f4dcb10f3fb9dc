"""A tenant closure's certificate as a PDF (fpdf2; core fonts, ids and counts only)."""

from __future__ import annotations

from typing import Any

from fpdf import FPDF

from salon.dsar.adapters.certificate_pdf import latin1

_FIELDS = ("tenant_id", "requested_by", "requested_at", "due_at", "completed_at", "due_date_met", "statement")


def render(certificate: dict[str, Any]) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 10, latin1(f"Tenant closure {certificate['closure_id']}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    for label in _FIELDS:
        pdf.multi_cell(0, 6, latin1(f"{label}: {certificate.get(label, '')}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 10)
    with pdf.table(col_widths=(60, 25, 15, 15, 75)) as table:
        table.row(["store", "rule", "before", "after", "note"])
        pdf.set_font("Helvetica", size=7)
        for store in certificate["stores"]:
            before, after = store["before"], store["after"]
            table.row(
                [
                    latin1(store["target"]),
                    latin1(store["rule"]),
                    "-" if before is None else str(before),
                    "-" if after is None else str(after),
                    latin1(store["note"]),
                ]
            )
    return bytes(pdf.output())
