"""Invoice documents: PDF and Factur-X generation time per document (rendered in this process, as the
issuing function does), and the size of the checkout functions' package (their code, the salon
package and the runtime dependencies of the layer, as installed here)."""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from salon.checkout.invoicing.domain import amounts, facturx_pdf, pdf
from salon.checkout.invoicing.domain.invoice import IssuedInvoice, build, number
from salon.kernel.values import Locale, utcnow

from localcloud.invoice_samples import GERMAN_BUYER, SELLER, order

RUNS = 20
ROOT = Path(__file__).resolve().parents[2]
INVOICING_DEPENDENCIES = (
    "python-stdnum",
    "fpdf2",
    "factur-x",
    "lxml",
    "pypdf",
    "Pillow",
    "fonttools",
    "defusedxml",
    "iso4217",
)
LAMBDA_UNZIPPED_LIMIT_MB = 250


def sample(locale: Locale, reverse_charge: bool) -> IssuedInvoice:
    source = order(locale=locale, billing=GERMAN_BUYER) if reverse_charge else order(locale=locale)
    return build(
        invoice_id="inv_bench",
        tenant_id="t-bench",
        sequence_number=number("FA", 2026, 1),
        kind="invoice",
        order=source,
        seller=SELLER,
        amounts=amounts.compute(source.lines, source.vat_mode, reverse_charge=reverse_charge),
        reverse_charge=reverse_charge,
        issued_at=utcnow(),
    )


def _timed(work: Callable[[], bytes]) -> tuple[float, float, int]:
    """Median and p95 seconds over RUNS, and the document's size in bytes."""
    durations, size = [], 0
    for _ in range(RUNS):
        started = time.perf_counter()
        size = len(work())
        durations.append(time.perf_counter() - started)
    durations.sort()
    return statistics.median(durations), durations[int(0.95 * (RUNS - 1))], size


def _distribution_bytes(name: str) -> int:
    files = metadata.distribution(name).files or []
    return sum(path.stat().st_size for f in files if (path := Path(str(f.locate()))).is_file())


def _tree_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def _layer_requirements() -> list[str]:
    lines = (ROOT / "layers" / "salon" / "requirements.txt").read_text(encoding="utf-8").splitlines()
    names = [re.split(r"[=\[<>]", line.strip(), maxsplit=1)[0] for line in lines if line.strip()]
    return [name for name in names if name and not name.startswith("#")]


def section() -> list[str]:
    rows = []
    cases: tuple[tuple[Locale, bool], ...] = (("fr", False), ("en", True))
    for locale, reverse_charge in cases:
        invoice = sample(locale, reverse_charge)
        pdf_median, pdf_p95, pdf_size = _timed(lambda: pdf.render(invoice))  # noqa: B023 (called at once)
        fx_median, fx_p95, fx_size = _timed(lambda: facturx_pdf.render(invoice))  # noqa: B023
        label = f"{locale}{', reverse charge' if reverse_charge else ''}"
        rows.append(
            f"| {label} | {pdf_median * 1000:.0f} | {pdf_p95 * 1000:.0f} | {pdf_size / 1024:.0f} "
            f"| {fx_median * 1000:.0f} | {fx_p95 * 1000:.0f} | {fx_size / 1024:.0f} |"
        )
    mb = 1024 * 1024
    code = _tree_bytes(ROOT / "functions" / "checkout")
    salon = _tree_bytes(ROOT / "layers" / "salon" / "salon")
    invoicing = {name: _distribution_bytes(name) for name in INVOICING_DEPENDENCIES}
    others = {name: _distribution_bytes(name) for name in _layer_requirements() if name not in invoicing}
    total = code + salon + sum(invoicing.values()) + sum(others.values())
    heaviest = ", ".join(f"{n} {b / mb:.1f}" for n, b in sorted(invoicing.items(), key=lambda i: -i[1])[:5])
    return [
        f"## Invoice documents ({RUNS} renders each, this process)",
        "",
        "The sample order of `localcloud.invoice_samples`: 4 lines, 2 VAT rates; Factur-X includes "
        "rendering the PDF, building the CII XML, its XSD check and embedding it (PDF/A-3).",
        "",
        "| invoice | PDF median ms | PDF p95 ms | PDF KB | Factur-X median ms | Factur-X p95 ms "
        "| Factur-X KB |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *rows,
        "",
        "Checkout functions' package (CodeUri `functions/checkout/` and the `SalonLayer`, unzipped, as "
        "installed here; Lambda allows 250 MB for function and layers together):",
        "",
        f"- function code: {code / 1024:.0f} KB; salon package: {salon / mb:.1f} MB (with its two fonts)",
        f"- invoicing dependencies: {sum(invoicing.values()) / mb:.1f} MB ({heaviest} MB, ...)",
        f"- the layer's other runtime dependencies: {sum(others.values()) / mb:.1f} MB",
        f"- total: **{total / mb:.1f} MB** of {LAMBDA_UNZIPPED_LIMIT_MB} MB",
    ]
