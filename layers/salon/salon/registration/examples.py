"""Request bodies shown in the OpenAPI document (Swagger UI's "Try it out" starts from them); a test
checks each one against its route's body model."""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]

EVENT: Json = {
    "name": {"fr": "Salon Industrie 2026", "en": "Industry Meetings 2026"},
    "starts_at": "2026-06-10T08:00:00+02:00",
    "ends_at": "2026-06-11T18:00:00+02:00",
    "time_zone": "Europe/Paris",
    "locales": ["fr", "en"],
    "currency": "EUR",
    "vat_mode": "excl",
    "status": "draft",
    "key_dates": {
        "registration_opens_at": "2026-01-05T09:00:00+01:00",
        "registration_closes_at": "2026-05-31T23:59:00+02:00",
    },
}
EVENT_PATCH: Json = {"status": "published"}
FORM: Json = {
    "fields": [
        {
            "key": "sector",
            "type": "taxonomy",
            "level": "company",
            "required": True,
            "labels": {"fr": "Secteur", "en": "Sector"},
        },
        {
            "key": "export",
            "type": "yes_no",
            "level": "company",
            "required": True,
            "labels": {"fr": "Exportez-vous ?", "en": "Do you export?"},
        },
        {
            "key": "gdpr",
            "type": "consent",
            "level": "participant",
            "required": True,
            "labels": {"fr": "J'accepte le traitement de mes données", "en": "I agree to the processing"},
        },
    ]
}
PARTICIPATION_TYPE: Json = {
    "code": "buyer",
    "labels": {"fr": "Donneur d'ordres", "en": "Buyer"},
    "can_see": ["supplier"],
    "can_request": ["supplier"],
    "open_for_registration": True,
}
TAXONOMY: Json = {
    "nodes": [
        {"code": "IND", "parent": None, "labels": {"fr": "Industrie", "en": "Industry"}},
        {"code": "IND.MEC", "parent": "IND", "labels": {"fr": "Mécanique", "en": "Mechanics"}},
    ]
}
REGISTRATION: Json = {
    "type": "buyer",
    "locale": "fr",
    "company": {
        "name": "ACME SAS",
        "country": "FR",
        "website": "https://acme.example",
        "answers": {"sector": "IND.MEC", "export": False},
    },
    "participants": [
        {
            "first_name": "Alice",
            "last_name": "Martin",
            "email": "alice@acme.example",
            "phone": "+33612345678",
            "job_title": "Buyer",
            "locale": "fr",
            "answers": {"gdpr": True},
        }
    ],
}
DECISION: Json = {"decision": "refuse", "reason": "the company is outside the event's sectors"}
ME_PATCH: Json = {"job_title": "Head of purchasing", "locale": "en"}
PROFILE: Json = {
    "needs": ["IND.MEC"],
    "offers": [],
    "description": {"fr": "Nous cherchons des sous-traitants en usinage.", "en": "We look for machining."},
}
