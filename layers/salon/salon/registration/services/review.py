"""Staff review of an event's registrations: listing and reading them, each read audited."""

from __future__ import annotations

from salon.kernel import audit
from salon.kernel.caller import Caller, require
from salon.kernel.errors import NotFound
from salon.kernel.principal import REVIEW
from salon.kernel.values import Page, fold
from salon.registration import deps
from salon.registration.responses import RegistrationDetail, RegistrationPage
from salon.registration.services.bundles import load_bundle, subjects_of
from salon.registration.services.views import render_detail

LIST_FIELDS = ("company_name", "first_name", "last_name", "email")
DETAIL_FIELDS = (
    "company_name",
    "country",
    "website",
    "answers",
    "first_name",
    "last_name",
    "email",
    "phone",
    "job_title",
    "locale",
    "needs",
    "offers",
    "description",
)


def get_registration(caller: Caller, registration_id: str) -> RegistrationDetail:
    principal = require(caller, REVIEW)
    bundle = load_bundle(principal.tenant_id, registration_id)
    audit.record(
        caller,
        role=principal.acting_role(REVIEW),
        action="registration.read",
        subjects=subjects_of(bundle),
        item_types=["registration", "participant", "profile"],
        fields=DETAIL_FIELDS,
        purpose="registration-review",
    )
    return RegistrationDetail.model_validate(render_detail(principal.tenant_id, bundle))


def list_registrations(
    caller: Caller,
    event_id: str,
    *,
    state: str | None,
    type_: str | None,
    q: str | None,
    page: Page,
    requalification_overdue: bool = False,
) -> RegistrationPage:
    principal = require(caller, REVIEW)
    if deps.get().events.get_event(principal.tenant_id, event_id) is None:
        raise NotFound("no such event")
    repo = deps.get().registrations
    regs, cursor = repo.list_for_event(
        principal.tenant_id,
        event_id,
        state=state,
        type_=type_,
        text=fold(q) if q else None,
        limit=page.limit,
        cursor=page.cursor,
        requalification_overdue=requalification_overdue,
    )
    people = repo.participants_of(principal.tenant_id, regs)
    items = [
        {
            "registration_id": r["registration_id"],
            "event_id": r["event_id"],
            "type": r["type"],
            "state": r["state"],
            "company_name": r.get("company_name"),
            "completeness": r.get("completeness", 0),
            "created_at": r["created_at"],
            "updated_at": r.get("updated_at"),
            "requalification_overdue": int(r.get("requalification_overdue", 0)),
            "participants": [
                {
                    k: p.get(k)
                    for k in (
                        "participant_id",
                        "first_name",
                        "last_name",
                        "email",
                        "account_status",
                        "requalification_overdue_at",
                    )
                }
                for p in people.get(r["registration_id"], [])
            ],
        }
        for r in regs
    ]
    if items:
        audit.record(
            caller,
            role=principal.acting_role(REVIEW),
            action="registration.list",
            subjects=[
                s
                for item in items
                for s in (item["registration_id"], *(p["participant_id"] for p in item["participants"]))
            ],
            item_types=["registration", "participant"],
            fields=LIST_FIELDS,
            purpose="registration-review",
            count=len(items),
        )
    return RegistrationPage.model_validate({"items": items, "next_cursor": cursor})
