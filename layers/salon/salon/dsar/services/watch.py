"""The watch of due dates: how many running requests, all tenants, are close to (or past) their
due date; a metric of it raises the template's alarm."""

from __future__ import annotations

from salon.dsar import deps
from salon.dsar.domain.requests import CLOSE_TO_DUE
from salon.kernel.values import iso


def close_to_due() -> int:
    d = deps.get()
    return d.requests.running_due_by(iso(d.clock() + CLOSE_TO_DUE))
