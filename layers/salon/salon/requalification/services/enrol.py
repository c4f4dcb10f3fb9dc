"""The one-off enrolment of participants stored before the verification index (``{"pass": "enrol"}``):
each gets its entry from ``last_verified_at``, or from its creation when it has none."""

from __future__ import annotations

import logging
from typing import Any

from salon.kernel.values import iso
from salon.requalification import deps
from salon.requalification.adapters.enrolment import Enrolment
from salon.requalification.domain import rules

logger = logging.getLogger(__name__)


def enrol_pass(now: str | None = None, tenant_id: str | None = None) -> dict[str, Any]:
    enrolment = Enrolment(deps.get().platform.table)
    enrolled = 0
    for page in enrolment.unindexed():
        for participant in page:
            if tenant_id is not None and participant["tenant_id"] != tenant_id:
                continue
            if enrolment.enrol(participant, iso(rules.verified_since(participant))):
                enrolled += 1
    logger.info("requalification enrolment", extra={"enrolled": enrolled})
    return {"enrolled": enrolled}
