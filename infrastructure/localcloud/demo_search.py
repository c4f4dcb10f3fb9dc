"""The demo's catalogue phase: a validated participant searches (three queries, their top results and
timings) and reads their top suggestions with the reasons, over HTTP like a front end."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from localcloud.api_client import ApiClient

QUERIES = ("emballage", "ingenierie")
WAIT_SECONDS = 30.0
SUGGESTIONS = 5
FULL_TOP_WAIT_SECONDS = 3.0


def _eventually(fetch: Callable[[], Any], enough: int = 1, wait_s: float = WAIT_SECONDS) -> Any:
    """The indexer works from domain events, asynchronously: poll until there is enough to show."""
    deadline = time.monotonic() + wait_s
    while True:
        found = fetch()
        if len(found) >= enough or time.monotonic() > deadline:
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

    def suggestions() -> Any:
        path = f"/events/{event_id}/suggestions"
        return participant.request("GET", path, params={"limit": str(SUGGESTIONS)}).json["items"]

    # the first ones once indexed, then a little longer for a full top list (a small demo may have fewer)
    suggested = _eventually(suggestions)
    if len(suggested) < SUGGESTIONS:
        suggested = _eventually(suggestions, enough=SUGGESTIONS, wait_s=FULL_TOP_WAIT_SECONDS)
    lines.append(f"Suggested for this participant (top {len(suggested)}):")
    for item in suggested:
        reasons = "; ".join(f"{r['direction'].replace('_', ' ')}: {r['label']}" for r in item["reasons"][:3])
        lines.append(f"  {item['company_name']} ({item['type']}, score {item['score']}): {reasons}")
    return lines
