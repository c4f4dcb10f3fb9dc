"""The invoice's PDF in the buyer's locale (fpdf2, PDF/A-3B: fonts embedded, so Factur-X can wrap it)."""

from __future__ import annotations

from importlib import resources

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from salon.checkout.invoicing.domain import mentions as m
from salon.checkout.invoicing.domain.invoice import IssuedInvoice, issue_date

FONT = "DejaVu"
_FONTS = resources.files("salon.checkout.invoicing") / "fonts"
LINE = 5.0


def render(invoice: IssuedInvoice) -> bytes:
    locale = invoice.locale
    words = m.LABELS[locale]
    pdf = FPDF(format="A4", enforce_compliance="PDFA_3B")
    pdf.set_creation_date(invoice.issued_at)
    pdf.set_title(f"{words[invoice.kind]} {invoice.number}")
    pdf.set_author(invoice.seller.legal_name)
    pdf.set_lang(locale)
    pdf.add_font(FONT, "", str(_FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(_FONTS / "DejaVuSans-Bold.ttf"))
    pdf.add_page()

    pdf.set_font(FONT, "B", 16)
    _line(pdf, f"{words[invoice.kind]} {words['number']} {invoice.number}")
    pdf.set_font(FONT, "", 9)
    dates = [
        (words["issue_date"], m.day(invoice.issue_date, locale)),
        (words["sale_date"], m.day(invoice.sale_date, locale)),
    ]
    if invoice.due_date is not None:
        dates.append((words["due_date"], m.day(invoice.due_date, locale)))
    if invoice.paid_at is not None and invoice.kind != "credit_note":
        dates.append((words["paid_on"], m.day(issue_date(invoice.paid_at), locale)))
    for label, value in dates:
        _line(pdf, f"{label} : {value}" if locale == "fr" else f"{label}: {value}")
    if invoice.credited_invoice is not None:
        credited = invoice.credited_invoice
        _line(pdf, f"{words['credits']} {credited.number} ({m.day(credited.issue_date, locale)})")
    if invoice.deducted_deposit is not None:
        deposit = invoice.deducted_deposit
        _line(pdf, f"{words['deducts']} {deposit.number} ({m.day(deposit.issue_date, locale)})")
    if invoice.reason:
        _line(
            pdf,
            f"{words['reason']} : {invoice.reason}"
            if locale == "fr"
            else f"{words['reason']}: {invoice.reason}",
        )
    pdf.ln(3)

    top = pdf.get_y()
    _block(pdf, words["seller"], _seller_lines(invoice, words), x=pdf.l_margin)
    seller_bottom = pdf.get_y()
    pdf.set_y(top)
    _block(pdf, words["buyer"], _buyer_lines(invoice, words), x=pdf.w / 2)
    pdf.set_y(max(seller_bottom, pdf.get_y()) + 4)

    widths = (80.0, 15.0, 35.0, 20.0, 40.0)
    pdf.set_font(FONT, "B", 9)
    _row(
        pdf, widths, (words["item"], words["quantity"], words["unit_price"], words["vat_rate"], words["net"])
    )
    pdf.set_font(FONT, "", 9)
    for line in invoice.lines:
        _row(
            pdf,
            widths,
            (
                line.name,
                str(line.quantity),
                m.amount(line.unit_price_net, locale),
                f"{m.percent(line.vat_rate, locale)} %",
                m.money(line.net_cents, locale),
            ),
        )
    pdf.ln(3)
    pdf.set_font(FONT, "B", 9)
    _row(pdf, (50.0, 40.0, 40.0), (words["vat_rate"], words["vat_base"], words["vat_amount"]))
    pdf.set_font(FONT, "", 9)
    for rate in invoice.vat:
        shown = f"{m.percent(rate.rate, locale)} %" + (" (AE)" if rate.category == "AE" else "")
        _row(
            pdf,
            (50.0, 40.0, 40.0),
            (shown, m.money(rate.base_cents, locale), m.money(rate.vat_cents, locale)),
        )
    pdf.ln(3)
    pdf.set_font(FONT, "B", 10)
    for label, cents in (
        (words["net"], invoice.net_cents),
        (words["vat"], invoice.vat_cents),
        (words["gross"], invoice.gross_cents),
    ):
        _row(pdf, (150.0, 40.0), (label, m.money(cents, locale)))
    pdf.ln(4)
    pdf.set_font(FONT, "", 8)
    for mention in m.legal_mentions(invoice):
        pdf.multi_cell(0, 4, mention, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


def _seller_lines(invoice: IssuedInvoice, words: dict[str, str]) -> list[str]:
    seller = invoice.seller
    lines = [seller.legal_name]
    if seller.legal_form:
        lines.append(seller.legal_form)
    lines += [*seller.address_lines, f"{seller.postcode} {seller.city}", seller.country]
    lines.append(f"SIREN {seller.siren} · SIRET {seller.siret}")
    if seller.rcs:
        lines.append(seller.rcs)
    lines.append(f"{words['vat_number']} {seller.vat_number}")
    if seller.iban and invoice.due_date is not None:
        lines.append(f"{words['iban']} {seller.iban}")
    return lines


def _buyer_lines(invoice: IssuedInvoice, words: dict[str, str]) -> list[str]:
    buyer = invoice.buyer
    lines = [buyer.company_name, *buyer.address_lines, f"{buyer.postcode} {buyer.city}", buyer.country]
    if buyer.vat_number:
        lines.append(f"{words['vat_number']} {buyer.vat_number}")
    if buyer.purchase_order:
        lines.append(f"{words['purchase_order']} {buyer.purchase_order}")
    lines.append(f"{words['order']} {invoice.order_id}")
    return lines


def _line(pdf: FPDF, text: str) -> None:
    pdf.cell(0, LINE + 1, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _block(pdf: FPDF, title: str, lines: list[str], *, x: float) -> None:
    pdf.set_x(x)
    pdf.set_font(FONT, "B", 9)
    pdf.cell(0, LINE, title, new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 9)
    for text in lines:
        pdf.set_x(x)
        pdf.cell(pdf.w / 2 - pdf.l_margin, LINE, text, new_x=XPos.LEFT, new_y=YPos.NEXT)


def _row(pdf: FPDF, widths: tuple[float, ...], cells: tuple[str, ...]) -> None:
    for index, (width, text) in enumerate(zip(widths, cells, strict=True)):
        align = "L" if index == 0 else "R"
        pdf.cell(width, LINE + 1, text, border="B", align=align, new_x=XPos.RIGHT, new_y=YPos.TOP)
    pdf.ln(LINE + 1)
