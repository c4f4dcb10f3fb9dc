"""A rectification: the DPO's corrections, validated as PATCH /me validates a participant's own
(``MePatch``), applied to each of the person's participations like /me applies them."""

from __future__ import annotations

from typing import Any

from salon.dsar import deps
from salon.dsar.adapters.rectifier import Rectifier, participant_changed
from salon.dsar.domain.person import Person
from salon.kernel.values import iso
from salon.registration.domain.participants import MePatch


def rectify(request: dict[str, Any], person: Person) -> None:
    patch = MePatch.model_validate(request.get("corrections") or {})
    at = deps.get().clock()
    values: dict[str, Any] = {
        k: getattr(patch, k) for k in patch.model_fields_set if getattr(patch, k) is not None
    }
    values.update(last_verified_at=iso(at), updated_at=iso(at))
    rectifier = Rectifier(deps.get().platform.table)
    for p in person.participations:
        detail = participant_changed(
            person.tenant_id,
            p.event_id,
            p.registration_id,
            p.participant_id,
            str(request["requested_by"]),
            f"participant.updated:{request['dsar_id']}",
        )
        rectifier.correct(detail, p.participant_id, values, at)
