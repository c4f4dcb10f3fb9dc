"""Regenerate the sample API Gateway events in `events/apigw/` with the local gateway's builder.

    python -m localcloud.sample_events

The events are what the gateway hands to the function, so replaying them through a handler
exercises the same shapes as production (HTTP API payload 2.0, Cognito ID-token claims).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from localcloud.cloud import LocalCloud
from localcloud.template import REPO_ROOT

EVENTS_DIR = REPO_ROOT / "events" / "apigw"
SAMPLE_PASSWORD = "Sample-Passw0rd-2026"


def _write(name: str, event: dict[str, Any]) -> Path:
    # Stable-looking host: the sample must not carry this machine's ephemeral port.
    event["headers"]["host"] = event["requestContext"]["domainName"]
    path = EVENTS_DIR / name
    path.write_text(json.dumps(event, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def generate() -> list[Path]:
    EVENTS_DIR.mkdir(parents=True, exist_ok=True)
    with LocalCloud.start() as cloud:
        email = "organizer@example.test"
        cloud.create_user(email, SAMPLE_PASSWORD, "organizer", "tenant-demo")
        token = cloud.login(f"s:tenant-demo:{email}", SAMPLE_PASSWORD)
        health = cloud.http_event("GET", "/health")
        create_event = cloud.http_event(
            "POST",
            "/events",
            token=token,
            json_body={
                "name": "Salon Aéro 2027",
                "starts_on": "2027-03-16",
                "ends_on": "2027-03-17",
                "timezone": "Europe/Paris",
                "locales": ["fr", "en"],
            },
            headers={"Idempotency-Key": "4f8e2a58-2d3c-4f0e-9a1d-3f0b7c9e1a11"},
        )
        return [_write("get_health.json", health), _write("post_events_authenticated.json", create_event)]


if __name__ == "__main__":
    for written in generate():
        print(written.relative_to(REPO_ROOT))
