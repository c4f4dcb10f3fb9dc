"""Shared world for the registration e2e tests (no tests here): tenants, users, a configured event."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

L = {"fr": "Libellé", "en": "Label"}

FORM = {
    "fields": [
        {"key": "sector", "type": "taxonomy", "level": "company", "required": True, "labels": L},
        {"key": "export", "type": "yes_no", "level": "company", "required": True, "labels": L},
        {
            "key": "export_zones",
            "type": "multi_select",
            "level": "company",
            "required": True,
            "labels": L,
            "options": [{"value": "eu", "labels": L}, {"value": "asia", "labels": L}],
            "show_if": {"field": "export", "equals": True},
        },
        {"key": "diet", "type": "text", "level": "participant", "labels": L},
        {"key": "gdpr", "type": "consent", "level": "participant", "required": True, "labels": L},
    ]
}
TAXONOMY = {
    "nodes": [
        {"code": "IND", "parent": None, "labels": L},
        {"code": "IND.MEC", "parent": "IND", "labels": L},
        {"code": "IND.MEC.USI", "parent": "IND.MEC", "labels": L},
        {"code": "SRV", "parent": None, "labels": L},
    ]
}


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def event_body(**extra: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    start = now + timedelta(days=60)
    return {
        "name": {"fr": "Rencontres Industrie", "en": "Industry Meetings"},
        "starts_at": iso(start),
        "ends_at": iso(start + timedelta(days=1)),
        "time_zone": "Europe/Paris",
        "locales": ["fr", "en"],
        "currency": "EUR",
        "vat_mode": "excl",
        "status": "published",
        "key_dates": {
            "registration_opens_at": iso(now - timedelta(days=1)),
            "registration_closes_at": iso(start - timedelta(days=2)),
            "catalogue_opens_at": iso(now),
            "requests_deadline_at": iso(start - timedelta(days=10)),
            "answers_deadline_at": iso(start - timedelta(days=7)),
            "agenda_published_at": iso(start - timedelta(days=3)),
            "sms_activation_at": iso(start - timedelta(days=1)),
        },
        **extra,
    }


def registration_body(people: int = 1, **extra: Any) -> dict[str, Any]:
    tag = uuid.uuid4().hex[:10]
    return {
        "type": "buyer",
        "locale": "fr",
        "company": {
            "name": f"Zéphyr Industries {tag}",
            "country": "FR",
            "answers": {"sector": "IND.MEC", "export": False},
        },
        "participants": [
            {
                "first_name": f"Aurélie{tag}",
                "last_name": f"Dupont{tag}",
                "email": f"p{i}-{tag}@company.example",
                "phone": "+33612345678",
                "job_title": "Acheteuse",
                "answers": {"gdpr": True},
            }
            for i in range(people)
        ],
        **extra,
    }


def ok(response: requests.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    data: dict[str, Any] = response.json()
    return data


def is_problem(response: requests.Response) -> bool:
    return response.headers.get("Content-Type", "").startswith("application/problem+json")


@dataclass
class Tenant:
    tenant_id: str
    organizer: Any
    staff: Any
    dpo: Any
    event_id: str


def make_event(organizer: Any) -> str:
    """A published event open for registration, with its types, taxonomy and form; returns its id."""
    event_id = str(ok(organizer.api.post("/events", json=event_body()), 201)["event_id"])
    for code, see in (("buyer", ["supplier"]), ("supplier", ["buyer"])):
        body = {"code": code, "labels": L, "can_see": see, "can_request": see}
        ok(organizer.api.post(f"/events/{event_id}/types", json=body), 201)
    ok(organizer.api.put(f"/events/{event_id}/taxonomy", json=TAXONOMY))
    ok(organizer.api.put(f"/events/{event_id}/form", json=FORM))
    return event_id


def make_tenant(user_factory: Any, prefix: str) -> Tenant:
    tenant_id = f"{prefix}-{uuid.uuid4().hex[:8]}"
    organizer = user_factory("organizer", tenant_id)
    staff = user_factory("staff", tenant_id)
    dpo = user_factory("dpo", tenant_id)
    return Tenant(tenant_id, organizer, staff, dpo, make_event(organizer))


_TENANTS: dict[str, Tenant] = {}


def tenant(user_factory: Any, name: str) -> Tenant:
    """One configured tenant per name and per test process (the cloud is per process too)."""
    if name not in _TENANTS:
        _TENANTS[name] = make_tenant(user_factory, name)
    return _TENANTS[name]
