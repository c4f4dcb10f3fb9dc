"""What a domain event says, shared by the services that write it, the relay and the consumers."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

SOURCE = "salon.register"
MATCHMAKING_SOURCE = "salon.matchmaking"
SCHEDULING_SOURCE = "salon.scheduling"
CHECKOUT_SOURCE = "salon.checkout"
NOTIFY_SOURCE = "salon.notify"


class EventDetail(BaseModel):
    """What a domain event says: ids only. Unknown fields are refused, so no name or e-mail can slip in."""

    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True)

    tenant_id: str
    dedupe_id: str
    event_id: str | None = None
    registration_id: str | None = None
    participant_ids: tuple[str, ...] = ()
    type: str | None = None
    actor_id: str | None = None
    request_id: str | None = None  # a meeting request, between these two companies:
    from_registration_id: str | None = None
    to_registration_id: str | None = None
    run_id: str | None = None  # a scheduling run, and the agenda version it published:
    version: int | None = None
    order_id: str | None = None  # an order of the registration's company
    refund_id: str | None = None  # a refund of that order (``order.refund_recorded``)
    changes: dict[str, tuple[dict[str, str], ...]] | None = None  # added / moved / cancelled: ids, times
    mailing_id: str | None = None  # an organiser mailing, to one recipient (participant_ids)
