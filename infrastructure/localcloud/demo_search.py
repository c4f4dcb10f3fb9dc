"""The demo's catalogue phase: a validated participant searches (three queries, their top results and
timings) and reads their top suggestions with the reasons, over HTTP like a front end."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from localcloud.api_client import ApiClient

QUERIES = ("emballage", "ingenierie")
WAIT_SECONDS = 30.0
SUGGESTIONS_WAIT_SECONDS = 5.0  # none come when no other company has filled its profile


def _eventually(fetch: Callable[[], Any], wait_s: float = WAIT_SECONDS) -> Any:
    """The indexer works from domain events, asynchronously: poll until there is something to show."""
    deadline = time.monotonic() + wait_s
    while True:
        found = fetch()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def search_lines(participant: ApiClient, event_id: str) -> list[str]:
    path = f"/events/{event_id}/catalogue"
    browse = _eventually(lambda: participant.request("GET", path).json["items"])
    partial = browse[0]["company_name"].split()[0][:4] if browse else "a"
    lines = [f"Catalogue, as participant: {len(browse)} companies on the first page"]
    for q in (*QUERIES, partial):
        response = participant.request("GET", path, params={"q": q, "limit": "3"})
        top = ", ".join(f"{item['company_name']} ({item['type']})" for item in response.json["items"])
        took = response.elapsed_s * 1000
        lines.append(f"  q={q!r:<14} {response.json['total']:>3} found in {took:5.0f} ms: {top or '-'}")
    suggested = _eventually(
        lambda: participant.request("GET", f"/events/{event_id}/suggestions", params={"limit": "5"}).json[
            "items"
        ]
    )
    lines.append(f"Suggested for this participant (top {len(suggested)}):")
    for item in suggested:
        reasons = "; ".join(f"{r['direction'].replace('_', ' ')}: {r['label']}" for r in item["reasons"][:3])
        lines.append(f"  {item['company_name']} ({item['type']}, score {item['score']}): {reasons}")
    return lines
