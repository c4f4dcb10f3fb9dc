"""The demo's last chapter: tenant A's DPO answers an access request for one participant and an
erasure request for another, each through the data-subject request workflow (verify, find, act,
check, certify). The report carries ids, store names and counts, never a name or an e-mail."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import requests
from salon.kernel.values import iso, parse_iso

from localcloud.api_client import ApiClient, Json
from localcloud.sweep import run_sweep

POLL_TIMEOUT_S = 300


class RequestDidNotFinish(RuntimeError):
    """A data-subject request failed or did not end in time."""


@dataclass
class DsarReport:
    access: Json = field(default_factory=dict)
    archive_path: str = ""
    erasure: Json = field(default_factory=dict)
    sweep_now: str = ""
    sweep_report: Json = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def _wait(dpo: ApiClient, dsar_id: str, statuses: tuple[str, ...]) -> Json:
    deadline = time.monotonic() + POLL_TIMEOUT_S
    while True:
        request = dpo.get(f"/dsar/{dsar_id}")
        if request["status"] in statuses:
            return request
        if request["status"] in ("failed", "rejected") or time.monotonic() > deadline:
            raise RequestDidNotFinish(
                f"request {dsar_id}: {request['status']} {request.get('failure') or ''}"
            )
        time.sleep(0.5)


def answer(dpo: ApiClient, kind: str, email: str) -> Json:
    """Submit, verify the identity, wait for the certificate."""
    made = dpo.post("/dsar", {"kind": kind, "email": email, "note": "demo: asked by e-mail"}, expected=(201,))
    _wait(dpo, str(made["dsar_id"]), ("awaiting_verification",))
    dpo.post(f"/dsar/{made['dsar_id']}/verify", {"verified": True, "method": "identity document checked"})
    return _wait(dpo, str(made["dsar_id"]), ("completed",))


def run_dsar(dpo: ApiClient, access_email: str, erasure_email: str, out_dir: Path) -> DsarReport:
    report = DsarReport()
    started = time.perf_counter()
    report.access = answer(dpo, "access", access_email)
    report.seconds["access"] = time.perf_counter() - started
    out_dir.mkdir(parents=True, exist_ok=True)
    archive = out_dir / f"{report.access['dsar_id']}.zip"
    archive.write_bytes(requests.get(str(report.access["export_url"]), timeout=60).content)
    report.archive_path = str(archive)
    started = time.perf_counter()
    report.erasure = answer(dpo, "erasure", erasure_email)
    report.seconds["erasure"] = time.perf_counter() - started
    return report


def sweep_after_event(cloud: Any, dpo: ApiClient, report: DsarReport, ends_at: str, tenant_id: str) -> None:
    """The retention sweep with the clock moved 37 months past the event's end, and its report."""
    report.sweep_now = iso(parse_iso(ends_at) + timedelta(days=37 * 31))
    started = time.perf_counter()
    run_sweep(cloud, report.sweep_now, tenant_id)
    report.seconds["sweep"] = time.perf_counter() - started
    report.sweep_report = dpo.get("/retention-reports")["items"][0]


def _count(value: object) -> str:
    return "-" if value is None else str(value)


def format_dsar(report: DsarReport) -> list[str]:
    access, erasure = report.access, report.erasure
    found = [s for s in access["stores"] if s["before"]]
    certificate = erasure["certificate"]
    touched = [s for s in certificate["stores"] if s["before"] or s["after"]]
    searched = sum(1 for s in certificate["stores"] if s["before"] is not None)
    return [
        f"Data-subject requests (tenant A's DPO), {len(access['stores'])} stores and item types walked "
        "from the personal-data registry:",
        f"  access {access['dsar_id']} ({report.seconds['access']:.1f} s, due {access['due_at'][:10]}): "
        f"{len(found)} stores hold the person's data",
        *(f"    {s['target']:<34} {s['before']:>4}" for s in found),
        f"    archive (JSON + CSV per store): {report.archive_path}",
        f"  erasure {erasure['dsar_id']} ({report.seconds['erasure']:.1f} s, due {erasure['due_at'][:10]}): "
        f"certificate {certificate['completed_at']}",
        f"    {certificate['statement']}",
        f"    {'store':<34} {'rule':<13} before after",
        *(
            f"    {s['target']:<34} {s['rule']:<13} {_count(s['before']):>6} {_count(s['after']):>5}"
            for s in touched
        ),
        f"    residue {certificate['residue']}, "
        f"other people's items unchanged: {certificate['others_unchanged']}, "
        f"kept for a legal obligation: {', '.join(certificate['kept']) or 'nothing'}; "
        f"{searched} stores searched by person, the rest expire or hold nothing personal (said per store)",
        f"    certificate PDF: {erasure['certificate_pdf_url'].split('?')[0]}",
        f"Retention sweep with the clock at {report.sweep_now} (37 months after the event), "
        f"{report.seconds['sweep']:.1f} s: events {', '.join(report.sweep_report['events'])}",
        *(f"    {kind:<20} {n:>6} removed" for kind, n in sorted(report.sweep_report["removed"].items())),
        "    the event's configuration, the audit trail and the requests' records stay (their own retention)",
    ]
