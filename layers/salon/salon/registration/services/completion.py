"""Derived fields of a registration: completeness and the organiser's search text."""

from __future__ import annotations

from salon.kernel.errors import Conflict
from salon.kernel.values import iso
from salon.registration import deps
from salon.registration.adapters.registrations_repo import Bundle
from salon.registration.domain.registrations import derived_fields


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
    derived = derived_fields(form.fields, reg, bundle.participants, bundle.profiles)
    deps.get().registrations.update_registration(
        tenant_id,
        reg["registration_id"],
        {**derived, "updated_at": iso(deps.get().clock())},
        expected_version=int(reg["version"]),
    )
