"""Derived fields of a registration: completeness and the organiser's search text."""

from __future__ import annotations

from typing import Any

from salon.kernel.errors import Conflict
from salon.kernel.values import fold, iso
from salon.registration import deps
from salon.registration.adapters.registrations_repo import Bundle
from salon.registration.domain.registrations import Profile, completeness


def search_text(registration: dict[str, Any], participants: list[dict[str, Any]]) -> str:
    parts = [registration.get("company_name", "")]
    for p in participants:
        parts += [p.get("first_name", ""), p.get("last_name", ""), p.get("email", "")]
    return fold(" ".join(str(x) for x in parts if x))


def _profiles(bundle: Bundle) -> dict[str, Profile | None]:
    return {pid: Profile.model_validate(data) for pid, data in bundle.profiles.items()}


def refresh(tenant_id: str, registration_id: str) -> None:
    """Recompute completeness and the search text after a change.

    The write is conditional on the sheet's version as read, so a stale result never overwrites a
    fresher one; on a concurrent change the refresh re-reads once and tries again.
    """
    for attempt in (1, 2):
        bundle = deps.get().registrations.bundle(tenant_id, registration_id)
        if bundle is None:
            return
        try:
            _store(tenant_id, bundle)
            return
        except Conflict:
            if attempt == 2:
                raise


def _store(tenant_id: str, bundle: Bundle) -> None:
    reg = bundle.registration
    form = deps.get().events.get_form(tenant_id, reg["event_id"])
    company = {
        "name": reg.get("company_name"),
        "country": reg.get("country"),
        "website": reg.get("website"),
        "answers": reg.get("answers", {}),
    }
    score = completeness(form.fields, company, bundle.participants, _profiles(bundle))
    deps.get().registrations.update_registration(
        tenant_id,
        reg["registration_id"],
        {
            "completeness": score,
            "search_text": search_text(reg, bundle.participants),
            "updated_at": iso(deps.get().clock()),
        },
        expected_version=int(reg["version"]),
    )
