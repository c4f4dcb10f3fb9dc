"""The search indexer's callback: a domain event that may change a company's card refreshes that card."""

from __future__ import annotations

from aws_lambda_powertools import Logger

from salon.kernel.consumer import DomainEvent
from salon.matchmaking.services.indexing import reindex_registration

logger = Logger(child=True)

# Domain events after which a company's card may have changed (validated, refused, a participant
# deactivated, a profile or a participant's data changed).
INDEXED_EVENTS = frozenset(
    {
        "registration.validated",
        "registration.refused",
        "participant.deactivated",
        "participant.updated",
        "profile.updated",
    }
)


def handle(event: DomainEvent) -> None:
    """The search indexer's callback: one domain event, one company's card."""
    detail = event.detail
    if event.detail_type not in INDEXED_EVENTS or detail.registration_id is None:
        return
    listed = reindex_registration(detail.tenant_id, detail.registration_id)
    logger.info(
        "catalogue card refreshed",
        extra={
            "tenant_id": detail.tenant_id,
            "registration_id": detail.registration_id,
            "detail_type": event.detail_type,
            "listed": listed,
        },
    )
