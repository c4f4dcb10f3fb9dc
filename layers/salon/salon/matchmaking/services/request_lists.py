"""Listing meeting requests: a participant's own (sent or received), an event's for staff (audited),
and the expiry of requests left unanswered at the answers deadline.

Expiry is stored lazily: a listing made after the deadline first expires the requests of its scope
still ``sent`` (a key-condition query of the ``sent`` ones, then one transaction each), so no listing
ever shows a stale ``sent``; ``expire_overdue`` does the same for a whole event (a scheduled sweep).
"""

from __future__ import annotations

from datetime import datetime

from salon.kernel import audit
from salon.kernel.caller import Caller, require
from salon.kernel.errors import InvalidTransition
from salon.kernel.principal import REVIEW, SELF
from salon.kernel.values import Page
from salon.matchmaking import deps
from salon.matchmaking.adapters.requests_repo import pair_of
from salon.matchmaking.domain.request_commands import Direction, RequestPage, RequestView, StaffFilters
from salon.matchmaking.domain.requests import Actor, MeetingRequest, State
from salon.matchmaking.domain.weights import weight
from salon.matchmaking.services.requests import change, event_of, only_event, participation
from salon.registration.domain.events import Event

SYSTEM = Actor(sub="system", role="system")
LIST_FIELDS = ("message", "refusal_reason", "from_participant_ids", "to_participant_ids")


def _overdue(event: Event, now: datetime) -> bool:
    deadline = event.key_dates.answers_deadline_at
    return deadline is not None and now >= deadline


def _expire(requests: list[MeetingRequest]) -> int:
    done = 0
    for request in requests:
        try:
            change(request, "expire", SYSTEM)
            done += 1
        except InvalidTransition:
            pass  # answered or cancelled meanwhile: nothing to expire
    return done


def expire_overdue(tenant_id: str, event_id: str) -> int:
    """Store ``expired`` on every request of the event still ``sent`` after the answers deadline."""
    d = deps.get()
    if not _overdue(event_of(tenant_id, event_id), d.clock()):
        return 0
    total, cursor = 0, None
    while True:
        page, cursor = d.requests.of_event(tenant_id, event_id, state="sent", limit=100, cursor=cursor)
        total += _expire(page)
        if cursor is None:
            return total


def list_mine(
    caller: Caller, event_id: str | None, direction: Direction, state: State | None, page: Page
) -> RequestPage:
    """The caller's company's requests in ``event_id`` (by default the one event they take part in)."""
    principal = require(caller, SELF)
    t = principal.tenant_id
    event_id = event_id or only_event(principal)
    registration_id, _ = participation(principal, event_id)
    d = deps.get()
    event = event_of(t, event_id)

    def fetch(
        wanted: State | None, limit: int, cursor: str | None
    ) -> tuple[list[MeetingRequest], str | None]:
        if direction == "sent":
            return d.requests.sent(t, event_id, registration_id, wanted, limit, cursor)
        return d.requests.received(t, registration_id, wanted, limit, cursor)

    if _overdue(event, d.clock()):
        while _expire(fetch("sent", 100, None)[0]):
            pass
    items, cursor = fetch(state, page.limit, page.cursor)
    return RequestPage(items=_views(t, items, event, d.clock()), next_cursor=cursor)


def list_event(caller: Caller, event_id: str, filters: StaffFilters, page: Page) -> RequestPage:
    """Every request of the event for organisers and staff, filtered; the read is audited."""
    principal = require(caller, REVIEW)
    t = principal.tenant_id
    items, cursor = _event_page(t, event_id, filters, page)
    event = event_of(t, event_id)
    views = _views(t, items, event, deps.get().clock())
    if views:
        audit.record(
            caller,
            role=principal.acting_role(REVIEW),
            action="meeting_request.list",
            subjects=subjects_of(views),
            item_types=["meeting_request"],
            fields=LIST_FIELDS,
            purpose="matchmaking-review",
            count=len(views),
        )
    return RequestPage(items=views, next_cursor=cursor)


def _event_page(
    tenant_id: str, event_id: str, filters: StaffFilters, page: Page
) -> tuple[list[MeetingRequest], str | None]:
    expire_overdue(tenant_id, event_id)
    return deps.get().requests.of_event(
        tenant_id, event_id, **filters.model_dump(), limit=page.limit, cursor=page.cursor
    )


def all_of_event(tenant_id: str, event_id: str, filters: StaffFilters) -> list[RequestView]:
    """Every matching request, page after page (exports)."""
    event = event_of(tenant_id, event_id)
    found: list[MeetingRequest] = []
    cursor: str | None = None
    while True:
        items, cursor = _event_page(tenant_id, event_id, filters, Page(limit=100, cursor=cursor))
        found.extend(items)
        if cursor is None:
            return _views(tenant_id, found, event, deps.get().clock())


def subjects_of(views: list[RequestView]) -> list[str]:
    return [
        subject
        for v in views
        for subject in (
            v.from_registration_id,
            v.to_registration_id,
            *v.from_participant_ids,
            *v.to_participant_ids,
        )
    ]


def _views(tenant_id: str, items: list[MeetingRequest], event: Event, now: datetime) -> list[RequestView]:
    """Requests as shown: their effective state and, once approved, their weight (the pair's boost)."""
    approved = [(r.from_registration_id, r.to_registration_id) for r in items if r.state == "approved"]
    pairs = deps.get().requests.pairs(tenant_id, approved) if approved else {}
    views: list[RequestView] = []
    for r in items:
        pair = pairs.get(pair_of(r.from_registration_id, r.to_registration_id), {})
        views.append(
            RequestView(
                **r.model_dump(exclude={"tenant_id", "state", "updated_at", "ended_at", "version"}),
                state=r.effective_state(event.key_dates, now),
                weight=weight(
                    state=r.state, mutual=r.mutual, priority=r.priority, boost=int(pair.get("boost", 0))
                ),
            )
        )
    return views
