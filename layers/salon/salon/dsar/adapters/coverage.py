"""Which handler covers each store and item type of the personal-data registry.

Covering a new store is ONE entry here: ``STORE_HANDLERS[<logical id>]`` for a resource of
``salon.kernel.stores``, or ``ITEM_HANDLERS[<item type>]`` for an item type of a table. The handler's
``rule`` must be the registry's (tests/unit/dsar/test_coverage.py fails on a store or item type
without an entry, and on a rule that differs).
"""

from __future__ import annotations

from collections.abc import Mapping

from salon.dsar.adapters.handlers import (
    AuditSubjects,
    CatalogueCards,
    CompanyInvoices,
    CompanySheets,
    Deliveries,
    DsarRecords,
    EmailClaims,
    Handler,
    HeldSheets,
    KeyedItems,
    LoginAccounts,
    NotSearchable,
    ParticipantLists,
    PersonItems,
    PlacedOrders,
    ProcessingFlags,
    Suppressed,
    meetings_of,
    requests_of,
)
from salon.dsar.domain.targets import Target
from salon.kernel import keys
from salon.kernel.registry import Erasure
from salon.kernel.stores import StoreKind

_CONFIG = NotSearchable(Erasure.NOT_PERSONAL, "event configuration: nothing personal")
_IDS = "ids only, no name, e-mail or phone"
_TRANSIT = "SNS keeps nothing once delivered (retries end within 23 days): "
_ACCOUNTS = "the company's orders the person placed; kept 5 years after the relationship (accounting)"


def _expires(note: str) -> NotSearchable:
    return NotSearchable(Erasure.EXPIRE, note)


ITEM_HANDLERS: Mapping[str, Handler] = {
    "event": _CONFIG,
    "answers_deadline": _CONFIG,
    "event_form": _CONFIG,
    "participation_type": _CONFIG,
    "taxonomy": _CONFIG,
    "matchmaking_config": _CONFIG,
    "meeting_grid": _CONFIG,
    "active_schedule_run": _CONFIG,
    "event_retention": _CONFIG,
    "retention_report": NotSearchable(Erasure.NOT_PERSONAL, "a sweep's counts per item type"),
    "request_pair": NotSearchable(Erasure.NOT_PERSONAL, "a pair of companies: " + _IDS),
    "request_counters": NotSearchable(Erasure.NOT_PERSONAL, "a company's counters: " + _IDS),
    "registration": CompanySheets(Erasure.DELETE),
    "participant": KeyedItems(
        Erasure.DELETE,
        key_of=lambda person, p: (
            keys.registration_pk(person.tenant_id, p.registration_id),
            keys.participant_sk(p.participant_id),
        ),
    ),
    "profile": KeyedItems(
        Erasure.DELETE,
        key_of=lambda person, p: (
            keys.registration_pk(person.tenant_id, p.registration_id),
            keys.profile_sk(p.participant_id),
        ),
    ),
    "email_claim": EmailClaims(Erasure.DELETE),
    "user_link": KeyedItems(
        Erasure.DELETE,
        key_of=lambda person, p: (
            (keys.user_pk(person.tenant_id, p.user_sub), keys.participant_sk(p.participant_id))
            if p.user_sub
            else None
        ),
    ),
    "unavailability": KeyedItems(
        Erasure.DELETE,
        key_of=lambda person, p: (
            keys.event_pk(person.tenant_id, p.event_id),
            keys.unavailability_sk(p.participant_id),
        ),
    ),
    "agenda": KeyedItems(
        Erasure.DELETE,
        key_of=lambda person, p: (
            keys.event_pk(person.tenant_id, p.event_id),
            keys.agenda_sk(p.participant_id),
        ),
    ),
    "meeting_request": ParticipantLists(
        Erasure.PSEUDONYMISE,
        item_type="meeting_request",
        lists=("from_participant_ids", "to_participant_ids"),
        actors=("sent_by", "answered_by"),
        locate=requests_of,
    ),
    "meeting": ParticipantLists(
        Erasure.PSEUDONYMISE, item_type="meeting", lists=("participant_ids",), locate=meetings_of
    ),
    "schedule_run": NotSearchable(
        Erasure.DELETE,
        "names the staff account that started it, never a participant; deleted with the event's data",
    ),
    "outbox": NotSearchable(Erasure.DELETE, "domain events, " + _IDS + "; removed by TTL after 7 days"),
    "audit_record": AuditSubjects(Erasure.KEEP_LEGAL, "kept 36 months for accountability", records=True),
    "audit_subject": AuditSubjects(Erasure.KEEP_LEGAL, "kept 36 months for accountability"),
    "dsar_request": DsarRecords(Erasure.KEEP_LEGAL, "proof the person's requests were answered"),
    "dsar_running": NotSearchable(Erasure.NOT_PERSONAL, "a lock held while a request runs"),
    "person_tombstone": PersonItems(
        Erasure.KEEP_LEGAL, "stops a re-registration without fresh consent", sk_prefix=keys.TOMBSTONE_SK
    ),
    "held_registration": HeldSheets(Erasure.DELETE),
    "consent_request": NotSearchable(
        Erasure.NOT_PERSONAL, "a fresh consent asked for: " + _IDS + "; removed by TTL after 7 days"
    ),
    "processing_flag": ProcessingFlags(Erasure.DELETE),
    "requalification": KeyedItems(
        Erasure.DELETE,
        key_of=lambda person, p: (
            keys.registration_pk(person.tenant_id, p.registration_id),
            keys.requalification_sk(p.participant_id),
        ),
    ),
    "calendar_feed": KeyedItems(
        Erasure.DELETE,
        key_of=lambda person, p: (
            keys.event_pk(person.tenant_id, p.event_id),
            keys.calendar_feed_sk(p.participant_id),
        ),
    ),
    "invoicing_seller": NotSearchable(Erasure.NOT_PERSONAL, "the organiser's company (a legal person)"),
    "invoice": CompanyInvoices(Erasure.KEEP_LEGAL, "kept 10 years from issue (accounting obligation)"),
    "invoice_sequence": NotSearchable(Erasure.NOT_PERSONAL, "a year's last invoice number"),
    "invoice_issued_for": NotSearchable(Erasure.NOT_PERSONAL, "which order or credit a document answers"),
    "invoice_credits": NotSearchable(Erasure.NOT_PERSONAL, "amounts credited on an invoice"),
    "product": _CONFIG,
    "promo_code": _CONFIG,
    "purchase_counter": NotSearchable(Erasure.NOT_PERSONAL, "a company's units of a product: " + _IDS),
    "meeting_quota": NotSearchable(Erasure.NOT_PERSONAL, "a company's paid meetings: " + _IDS),
    "order": PlacedOrders(Erasure.KEEP_LEGAL, _ACCOUNTS),
    "payment": PlacedOrders(Erasure.KEEP_LEGAL, _ACCOUNTS, item_type="payment"),
    "refund": PlacedOrders(Erasure.KEEP_LEGAL, _ACCOUNTS, item_type="refund"),
    "order_expiry": NotSearchable(Erasure.NOT_PERSONAL, "a pending order's expiry: " + _IDS),
    "contract_retention": NotSearchable(
        Erasure.NOT_PERSONAL, "an order's pseudonymisation due date: " + _IDS
    ),
    "stripe_event": NotSearchable(Erasure.NOT_PERSONAL, "a processed webhook's id, type and order"),
    "delivery": Deliveries(Erasure.DELETE),
    "suppression": Suppressed(Erasure.PSEUDONYMISE),
    "mobile_number": KeyedItems(
        Erasure.DELETE,
        key_of=lambda person, p: (keys.mobile_pk(person.tenant_id, p.participant_id), keys.MOBILE_SK),
    ),
    "mailing": NotSearchable(
        Erasure.DELETE,
        "names the staff account that wrote it, never a participant; deleted with the event's data",
    ),
    "tenant_export": NotSearchable(
        Erasure.KEEP_LEGAL, "names the organiser who exported the tenant, never a participant"
    ),
    "tenant_closure": NotSearchable(
        Erasure.KEEP_LEGAL, "names the organiser who closed the tenant, never a participant"
    ),
    "tenant_closure_lock": NotSearchable(Erasure.NOT_PERSONAL, "the closure of a tenant: ids only"),
}

STORE_HANDLERS: Mapping[str, Handler] = {
    "SalonTable.Stream": _expires("records leave the stream within 24 hours"),
    "IdempotencyTable": _expires("found by the request's key only; removed by TTL within a day"),
    "UserPool": LoginAccounts(Erasure.DELETE),
    "EventBus": NotSearchable(Erasure.NOT_PERSONAL, "keeps no events; " + _IDS),
    "ScheduleBucket": _expires("participant numbers only; removed by lifecycle within 30 days"),
    "ScheduleRunStateMachine": NotSearchable(Erasure.NOT_PERSONAL, "execution histories: " + _IDS),
    "PublishRunStateMachine": NotSearchable(Erasure.NOT_PERSONAL, "execution histories: " + _IDS),
    "OutboxRelayDeadLetters": NotSearchable(Erasure.NOT_PERSONAL, "stream pointers, no payload"),
    "CatalogueDomain": CatalogueCards(Erasure.DELETE),
    "SearchIndexerQueue": _expires("domain events, " + _IDS + "; gone once handled"),
    "SearchIndexerDeadLetters": _expires("domain events, " + _IDS + "; removed within 14 days"),
    "InvoicerQueue": _expires("order events, " + _IDS + "; gone once handled"),
    "InvoicerDeadLetters": _expires("order events, " + _IDS + "; removed within 14 days"),
    "PersonKeySecret": NotSearchable(Erasure.NOT_PERSONAL, "a key, not personal data"),
    "DsarBucket": _expires("access archives; removed by lifecycle after 7 days"),
    "DsarStateMachine": NotSearchable(Erasure.NOT_PERSONAL, "execution histories: request ids only"),
    "RetentionSweepStateMachine": NotSearchable(Erasure.NOT_PERSONAL, "execution histories: event ids only"),
    "TenantClosureStateMachine": NotSearchable(Erasure.NOT_PERSONAL, "execution histories: closure ids only"),
    "InvoiceBucket": NotSearchable(
        Erasure.KEEP_LEGAL, "invoice documents, kept 10 years (accounting); counted with the invoice items"
    ),
    "StripeSecret": NotSearchable(Erasure.NOT_PERSONAL, "an API key, not personal data"),
    "NotifyQueue": _expires("domain events, " + _IDS + "; gone once handled, at most after 4 days"),
    "NotifyDeadLetters": _expires("domain events, " + _IDS + "; removed within 14 days"),
    "NotifyFunctionRole.ScheduleGroups": _expires(
        "reminder schedules, " + _IDS + "; deleted once fired, their group at the event's end"
    ),
    "EmailFeedbackTopic": _expires(_TRANSIT + "bounce and complaint notices"),
    "SmsInboundTopic": _expires(_TRANSIT + "inbound SMS (STOP)"),
}

# Every function's log group carries ids only (a test of the logs' content enforces it).
KIND_HANDLERS: Mapping[StoreKind, Handler] = {
    StoreKind.LOGS: _expires("ids only; removed with the log retention"),
}


def handler_for(target: Target, kind: StoreKind) -> Handler | None:
    if target.item_type is not None:
        return ITEM_HANDLERS.get(target.item_type)
    return STORE_HANDLERS.get(target.store) or KIND_HANDLERS.get(kind)
