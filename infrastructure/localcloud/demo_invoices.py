"""The demo's invoicing report: the invoice number range of an event's sales (proving no gap and no
duplicate), what was invoiced excluding VAT and the VAT per rate (credit notes deducted), and one PDF
and one Factur-X written under ``.local/invoices/`` for a person to open."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from salon.checkout.invoicing import deps
from salon.checkout.invoicing.adapters.documents import Format
from salon.checkout.invoicing.domain.invoice import IssuedInvoice
from salon.kernel import keys

from localcloud.api_client import ApiClient
from localcloud.invoice_samples import SELLER

REPO_ROOT = Path(__file__).resolve().parents[2]
OUTPUT = REPO_ROOT / ".local" / "invoices"


def set_seller(organizer: ApiClient) -> None:
    """The sample seller details, through the organiser's route: no invoice is issued before them."""
    organizer.request("PUT", "/tenant/seller", json=SELLER.model_dump(mode="json"))


def number_gaps(numbers: list[str]) -> list[str]:
    """What is wrong with a series of numbers: per prefix and year, each of 1..n exactly once."""
    by_series: dict[str, list[int]] = defaultdict(list)
    for number in numbers:
        series, _, sequence = number.rpartition("-")
        by_series[series].append(int(sequence))
    problems = []
    for series, sequences in sorted(by_series.items()):
        expected = list(range(1, len(sequences) + 1))
        if sorted(sequences) != expected:
            missing = sorted(set(expected) - set(sequences))
            doubled = sorted({s for s in sequences if sequences.count(s) > 1})
            problems.append(f"{series}: missing {missing}, duplicated {doubled}")
    return problems


def report(cloud: Any, tenant_id: str, event_id: str) -> list[str]:
    """Lines for the demo's report (the tenant's other events would take numbers of the same series: the
    range checked here is then the event's share; the yearly counter is printed beside it)."""
    documents = deps.get().invoices.of_event(tenant_id, event_id)
    if not documents:
        return ["Invoices: none issued."]
    numbers = [d.number for d in documents]
    problems = number_gaps(numbers)
    years = sorted({d.year for d in documents})
    counters = [
        cloud.client("dynamodb").get_item(
            TableName=cloud.resources.table_name,
            Key={
                "PK": {"S": keys.invoice_sequence_pk(tenant_id, year)},
                "SK": {"S": keys.INVOICE_SEQUENCE_SK},
            },
        )["Item"]["last"]["N"]
        for year in years
    ]
    notes = sum(1 for d in documents if d.kind == "credit_note")
    net = sum(_signed(d, d.net_cents) for d in documents)
    per_rate: dict[tuple[Decimal, str], int] = defaultdict(int)
    for d in documents:
        for rate in d.vat:
            per_rate[(rate.rate, rate.category)] += _signed(d, rate.vat_cents)
    pdf_path, facturx_path = _write_examples(cloud, documents)
    verdict = "no gap, no duplicate" if not problems else "; ".join(problems)
    counted = ", ".join(f"{year}: {last}" for year, last in zip(years, counters, strict=True))
    return [
        f"Invoices: {numbers[0]} .. {numbers[-1]}: {len(documents)} numbers ({len(documents) - notes} "
        f"invoices, {notes} credit notes), {verdict}",
        f"  the tenant's yearly counter(s), last number: {counted}",
        f"  invoiced excl. VAT (credit notes deducted): {_euros(net)}",
        "  VAT per rate: "
        + ", ".join(
            f"{rate.normalize():f} % ({category}): {_euros(cents)}"
            for (rate, category), cents in sorted(per_rate.items())
        ),
        f"  one PDF: {pdf_path}",
        f"  one Factur-X: {facturx_path}",
    ]


def _write_examples(cloud: Any, documents: list[IssuedInvoice]) -> tuple[Path, Path]:
    store = deps.get().documents
    invoice = next(d for d in documents if d.kind == "invoice")
    OUTPUT.mkdir(parents=True, exist_ok=True)
    written = []
    formats: tuple[tuple[Format, str], ...] = (("pdf", ".pdf"), ("facturx", "-facturx.pdf"))
    for format_, suffix in formats:
        key = store.key(invoice.tenant_id, invoice.year, invoice.invoice_id, format_)
        body = cloud.client("s3").get_object(Bucket=store.bucket, Key=key)["Body"].read()
        path = OUTPUT / f"{invoice.number}{suffix}"
        path.write_bytes(body)
        written.append(path)
    return written[0], written[1]


def _signed(document: IssuedInvoice, cents: int) -> int:
    return -cents if document.kind == "credit_note" else cents


def _euros(cents: int) -> str:
    return f"{Decimal(cents) / 100:,.2f} €"
