"""What the API returns about registrations (kept apart from the use cases)."""

from __future__ import annotations

from typing import Any

from salon.registration.adapters.registrations_repo import Bundle


def render_detail(tenant_id: str, bundle: Bundle) -> dict[str, Any]:
    reg = bundle.registration
    return {
        "registration_id": reg["registration_id"],
        "event_id": reg["event_id"],
        "tenant_id": tenant_id,
        "type": reg["type"],
        "state": reg["state"],
        "locale": reg.get("locale"),
        "completeness": reg.get("completeness", 0),
        "requalification_overdue": int(reg.get("requalification_overdue", 0)),
        "created_at": reg["created_at"],
        "updated_at": reg.get("updated_at"),
        "decided_at": reg.get("decided_at"),
        "decided_by": reg.get("decided_by"),
        "decision_reason": reg.get("decision_reason"),
        "company": {
            "name": reg.get("company_name"),
            "country": reg.get("country"),
            "website": reg.get("website"),
            "answers": reg.get("answers", {}),
            "last_verified_at": reg.get("company_verified_at"),
        },
        "participants": [
            participant_view(p, bundle.profiles.get(p["participant_id"])) for p in bundle.participants
        ],
    }


def participant_view(p: dict[str, Any], profile: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "participant_id": p["participant_id"],
        "first_name": p.get("first_name"),
        "last_name": p.get("last_name"),
        "email": p.get("email"),
        "phone": p.get("phone"),
        "job_title": p.get("job_title"),
        "locale": p.get("locale"),
        "answers": p.get("answers", {}),
        "account_status": p.get("account_status"),
        "last_verified_at": p.get("last_verified_at"),
        "requalification_overdue_at": p.get("requalification_overdue_at"),
        "profile": profile_view(profile),
    }


def profile_view(profile: dict[str, Any] | None) -> dict[str, Any] | None:
    if profile is None:
        return None
    return {
        "needs": profile.get("needs", []),
        "offers": profile.get("offers", []),
        "description": profile.get("description", {}),
        "last_verified_at": profile.get("last_verified_at"),
    }


def summary(bundle: Bundle) -> dict[str, Any]:
    """Ids and states only: this is what the idempotency store keeps for 24 hours."""
    reg = bundle.registration
    return {
        "registration_id": reg["registration_id"],
        "event_id": reg["event_id"],
        "type": reg["type"],
        "state": reg["state"],
        "completeness": reg.get("completeness", 0),
        "decided_at": reg.get("decided_at"),
        "decided_by": reg.get("decided_by"),
        "participants": [
            {"participant_id": p["participant_id"], "account_status": p.get("account_status")}
            for p in bundle.participants
        ],
    }
