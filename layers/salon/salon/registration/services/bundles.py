"""Loading a registration with its participants and profiles (one partition, one query)."""

from __future__ import annotations

from salon.kernel.errors import NotFound
from salon.registration import deps
from salon.registration.adapters.registrations_repo import Bundle


def load_bundle(tenant_id: str, registration_id: str) -> Bundle:
    bundle = deps.get().registrations.bundle(tenant_id, registration_id)
    if bundle is None:
        raise NotFound("no such registration")
    return bundle


def subjects_of(bundle: Bundle) -> list[str]:
    """The data subjects of a registration: the company sheet and each participant."""
    return [bundle.registration["registration_id"], *(p["participant_id"] for p in bundle.participants)]
