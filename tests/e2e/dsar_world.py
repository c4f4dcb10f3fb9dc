"""A data-subject request over HTTP, from the DPO's submission to its end: the steps of the tests that
need a person's data exported or erased (no tests here)."""

from __future__ import annotations

import time
from typing import Any

ENDED = ("completed", "failed", "rejected")


def submit(dpo: Any, kind: str, email: str, **extra: Any) -> dict[str, Any]:
    made = dpo.api.post("/dsar", json={"kind": kind, "email": email, "note": "by letter", **extra})
    assert made.status_code == 201, made.text
    return dict(made.json())


def wait(dpo: Any, dsar_id: str, statuses: tuple[str, ...], timeout: float = 120.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        read = dpo.api.get(f"/dsar/{dsar_id}")
        assert read.status_code == 200, read.text
        body = dict(read.json())
        if body["status"] in statuses or time.monotonic() > deadline:
            assert body["status"] in statuses, body
            return body
        time.sleep(0.3)


def run(dpo: Any, kind: str, email: str, **extra: Any) -> dict[str, Any]:
    made = submit(dpo, kind, email, **extra)
    wait(dpo, made["dsar_id"], ("awaiting_verification",))
    verified = dpo.api.post(
        f"/dsar/{made['dsar_id']}/verify", json={"verified": True, "method": "ID document by video call"}
    )
    assert verified.status_code == 200, verified.text
    return wait(dpo, made["dsar_id"], ENDED)
