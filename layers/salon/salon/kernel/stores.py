"""Every place personal data lives, as data a subject-access or erasure workflow walks.

One ``Store`` per resource of the template that can hold data (by logical id; a table's stream is
``<table>.Stream``): its kind, what personal data it holds, how a person is found in it (by which key),
how long data stay and what erasure does there. The table's item types are detailed in
``salon.kernel.registry.REGISTRY``. A test reads the template and fails on a resource without an entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from salon.kernel.registry import (
    EVENT_DATA,
    REGISTRY,
    Category,
    Erasure,
    PersonalAttribute,
    Retention,
)


class StoreKind(StrEnum):
    TABLE_ITEMS = "table_items"  # items of the single table, per item type (REGISTRY)
    STREAM_IMAGES = "stream_images"  # old/new images of changed items on a table's stream
    IDEMPOTENCY_RECORDS = "idempotency_records"  # Powertools records: key, payload hash, stored result
    USER_ATTRIBUTES = "user_attributes"  # Cognito users: username and attributes
    EVENT_PAYLOADS = "event_payloads"  # EventBridge event details
    DOCUMENTS = "documents"  # S3 objects
    LOGS = "logs"  # CloudWatch log groups
    DEAD_LETTERS = "dead_letters"  # SQS dead-letter queues: failed messages kept for replay
    SECRET = "secret"  # Secrets Manager values (keys, not personal data)
    SEARCH_INDEX = "search_index"  # the catalogue's search engine: copies of table data, rebuilt from it


@dataclass(frozen=True)
class Lookup:
    """A key by which a person's data is found in a store, and how."""

    key: str
    how: str


@dataclass(frozen=True)
class Expiry:
    """Removed by the platform ``days`` after writing (``mechanism``), a delay bounded by ``set_by``."""

    days: float
    mechanism: str
    set_by: str


@dataclass(frozen=True)
class Store:
    logical_id: str
    kind: StoreKind
    description: str
    personal: tuple[PersonalAttribute, ...]
    find_by: tuple[Lookup, ...]
    retention: Retention | Expiry | None  # None: per item type (TABLE_ITEMS) or nothing personal
    erasure: Erasure
    erasure_does: str
    item_types: tuple[str, ...] = ()


def _p(name: str, category: Category, purpose: str) -> PersonalAttribute:
    return PersonalAttribute(name, category, purpose)


IDEMPOTENCY_DAYS = 1  # Settings.idempotency_ttl_seconds' default (86,400 s)
LOG_RETENTION_DAYS = 90  # the template's LogRetentionDays default
SCHEDULE_DOCUMENT_DAYS = 30  # the ScheduleBucket lifecycle rule
STREAM_HOURS = 24  # fixed by DynamoDB Streams
RELAY_DEAD_LETTER_DAYS = 14  # OutboxRelayDeadLetters' MessageRetentionPeriod
INDEXER_QUEUE_DAYS = 4  # SearchIndexerQueue's (and InvoicerQueue's) MessageRetentionPeriod
INDEXER_DEAD_LETTER_DAYS = 14  # SearchIndexerDeadLetters' (and InvoicerDeadLetters') MessageRetentionPeriod
INVOICE_DOCUMENT_DAYS = 4018  # the InvoiceBucket lifecycle rule: 11 years (10 from the financial year's end)
DSAR_DOCUMENT_DAYS = 7  # the DsarBucket lifecycle rule
NOTIFY_QUEUE_DAYS = 4  # NotifyQueue's MessageRetentionPeriod
NOTIFY_DEAD_LETTER_DAYS = 14  # NotifyDeadLetters' MessageRetentionPeriod
SNS_RETRY_DAYS = 23  # SNS retries a Lambda subscription for up to 23 days, stores nothing after


def _item_types(table: str) -> tuple[str, ...]:
    return tuple(name for name, spec in REGISTRY.items() if spec.table == table)


def _personal(table: str) -> tuple[PersonalAttribute, ...]:
    specs = [REGISTRY[name] for name in _item_types(table)]
    return tuple({a.name: a for spec in specs for a in spec.personal}.values())


_TABLE_PERSONAL = _personal("SalonTable")
_BY_PARTICIPANT = Lookup("participant_id", "GSI2 partition T#<tenant>#PARTICIPANT#<participant_id>")
_BY_REGISTRATION = Lookup("registration_id", "partition T#<tenant>#REG#<registration_id>")
_BY_SUB = Lookup("user_sub", "partition T#<tenant>#USER#<sub> (user_link items)")
_BY_REQUESTS = Lookup(
    "registration_id",
    "meeting requests: GSI1 T#<tenant>#EVENT#<event>#MREQS sort key FROM#<registration_id>#..., "
    "GSI2 T#<tenant>#REG#<registration_id>#MREQS#IN",
)
_BY_EMAIL = Lookup(
    "email",
    "email_claim sort key EMAIL#<person_key(tenant, email)> in each event partition of the tenant",
)

_STORES: tuple[Store, ...] = (
    Store(
        "SalonTable",
        StoreKind.TABLE_ITEMS,
        "The single table: events, registrations, participants, profiles, claims, links, meeting requests",
        _TABLE_PERSONAL,
        (_BY_PARTICIPANT, _BY_REGISTRATION, _BY_SUB, _BY_EMAIL, _BY_REQUESTS),
        None,
        Erasure.DELETE,
        "per item type (REGISTRY): a person's items are deleted",
        _item_types("SalonTable"),
    ),
    Store(
        "AuditTable",
        StoreKind.TABLE_ITEMS,
        "The append-only audit trail: one record per access, one index item per subject (ids only)",
        _personal("AuditTable"),
        (
            Lookup("participant_id", "partition T#<tenant>#SUBJECT#<participant_id> (index items)"),
            Lookup("registration_id", "partition T#<tenant>#SUBJECT#<registration_id> (index items)"),
            Lookup("user_sub", "GSI1 partition T#<tenant>#ACTOR#<sub> (records by actor)"),
        ),
        None,
        Erasure.KEEP_LEGAL,
        "kept 36 months after writing for accountability, then removed by DynamoDB TTL; no role may "
        "update or delete them (IAM)",
        _item_types("AuditTable"),
    ),
    Store(
        "SalonTable.Stream",
        StoreKind.STREAM_IMAGES,
        "New images of every changed item (NEW_IMAGE), read only by the outbox relay's mapping, "
        "which passes outbox inserts only",
        _TABLE_PERSONAL,
        (Lookup("participant_id", "records carry the item keys; not searchable, read in order only"),),
        Expiry(STREAM_HOURS / 24, "stream records are trimmed after 24 hours", "DynamoDB Streams (fixed)"),
        Erasure.EXPIRE,
        "nothing to do: records of the erased items leave the stream within 24 hours",
    ),
    Store(
        "IdempotencyTable",
        StoreKind.IDEMPOTENCY_RECORDS,
        "Powertools idempotency records of keyed use cases",
        (
            _p("id", Category.TECHNICAL, "hash of the use case, the caller's tenant and sub and the key"),
            _p("validation", Category.TECHNICAL, "hash of the command, refuses a key reused for another"),
            _p("data", Category.TECHNICAL, "the use case's result, ids and states only"),
        ),
        (Lookup("idempotency key", "id = hash(use case, tenant:sub, Idempotency-Key): found by the key"),),
        Expiry(IDEMPOTENCY_DAYS, "DynamoDB TTL on `expiration`", "IDEMPOTENCY_TTL_SECONDS"),
        Erasure.EXPIRE,
        "expire by TTL (no name or e-mail is stored); a known key's record can be deleted by its id",
    ),
    Store(
        "UserPool",
        StoreKind.USER_ATTRIBUTES,
        "Login accounts of participants, organisers, staff and DPOs",
        (
            _p("username", Category.CONTACT, "p:<tenant>:<email> or s:<tenant>:<email>: holds the e-mail"),
            _p("email", Category.CONTACT, "login, invitation, password recovery"),
            _p("custom:tenant_id", Category.TECHNICAL, "the account's tenant"),
            _p("locale", Category.PREFERENCES, "language of Cognito's messages"),
            _p("sub", Category.TECHNICAL, "the account id that items and the audit trail name"),
        ),
        (
            Lookup("user_sub", "participant.user_sub / user_link: AdminGetUser by the cognito_username"),
            Lookup("email", "the username p:<tenant>:<email> / s:<tenant>:<email>"),
        ),
        EVENT_DATA,
        Erasure.DELETE,
        "AdminDeleteUser once the person has no participation left in the tenant",
    ),
    Store(
        "EventBus",
        StoreKind.EVENT_PAYLOADS,
        "Domain events (registration.*, participant.*): ids only (EventDetail accepts nothing else)",
        (_p("detail", Category.TECHNICAL, "tenant, event, registration, participant and actor ids"),),
        (Lookup("participant_id", "not stored by the bus: delivered to rules and gone"),),
        None,
        Erasure.NOT_PERSONAL,
        "nothing: the bus keeps no events (no archive) and details hold ids only",
    ),
    Store(
        "ScheduleBucket",
        StoreKind.DOCUMENTS,
        "Problem and schedule documents of scheduling runs: participant numbers, no names",
        (_p("participants", Category.TECHNICAL, "pseudonymous participant numbers and availabilities"),),
        (Lookup("event_id", "documents are keyed by run; numbers map to participants only in the table"),),
        Expiry(SCHEDULE_DOCUMENT_DAYS, "S3 lifecycle rule ExpireWorkingCopies", "ScheduleBucket lifecycle"),
        Erasure.EXPIRE,
        "expire by lifecycle; erasing the table's participant breaks the link to its number",
    ),
    Store(
        "InvoiceBucket",
        StoreKind.DOCUMENTS,
        "Invoices and credit notes as issued (PDF, Factur-X): the buyer company's name, address, VAT "
        "number and order reference, under <tenant>/invoices/<year>/<invoice_id>",
        (_p("buyer", Category.PROFESSIONAL, "the buyer as the invoice names it (a legal obligation)"),),
        (
            Lookup(
                "registration_id", "the table's invoice items (GSI2 by registration) give the documents' keys"
            ),
        ),
        Expiry(
            INVOICE_DOCUMENT_DAYS, "S3 lifecycle rule ExpireAfterLegalRetention", "InvoiceBucket lifecycle"
        ),
        Erasure.KEEP_LEGAL,
        "nothing before the legal 10 years: an erasure request does not reach issued invoices (GDPR "
        "art. 17(3)(b)); they are deleted by the lifecycle after",
    ),
    Store(
        "ScheduleRunStateMachine",
        StoreKind.EVENT_PAYLOADS,
        "Execution history of scheduling runs: each step's input and output, ids and document keys only",
        (_p("input", Category.TECHNICAL, "tenant and run ids, S3 keys under the tenant's prefix"),),
        (Lookup("event_id", "not by person: histories name runs, never participants"),),
        Expiry(90, "Step Functions keeps a standard execution's history 90 days", "AWS (not configurable)"),
        Erasure.NOT_PERSONAL,
        "nothing: the steps pass ids and document keys, never names, e-mails or participant numbers",
    ),
    Store(
        "PublishRunStateMachine",
        StoreKind.EVENT_PAYLOADS,
        "Execution history of publishing scheduling runs: the step's input and output, ids and counts only",
        (_p("input", Category.TECHNICAL, "tenant and run ids, counts of meetings and agendas"),),
        (Lookup("event_id", "not by person: histories name runs, never participants"),),
        Expiry(90, "Step Functions keeps a standard execution's history 90 days", "AWS (not configurable)"),
        Erasure.NOT_PERSONAL,
        "nothing: the step passes ids and counts, never names, e-mails or participant numbers",
    ),
    Store(
        "ApiAccessLogs",
        StoreKind.LOGS,
        "HTTP API access logs: request id, route, status, latency, caller sub",
        (_p("sub", Category.TECHNICAL, "who called (ids only: no IP, no user agent)"),),
        (Lookup("user_sub", "CloudWatch Logs Insights filter on `sub`"),),
        Expiry(LOG_RETENTION_DAYS, "log group retention", "LogRetentionDays"),
        Erasure.EXPIRE,
        "expire with the log retention: logs carry ids only, never names, e-mails or phones",
    ),
    *(
        Store(
            logical_id,
            StoreKind.LOGS,
            f"Logs of the {function} function (Powertools JSON)",
            (_p("ids", Category.TECHNICAL, "tenant, registration, participant and caller ids"),),
            (Lookup("participant_id", "CloudWatch Logs Insights filter on the id fields"),),
            Expiry(LOG_RETENTION_DAYS, "log group retention", "LogRetentionDays"),
            Erasure.EXPIRE,
            "expire with the log retention: logs carry ids only, never names, e-mails or phones",
        )
        for logical_id, function in (
            ("RegisterFunctionLogGroup", "register (public registration, /me)"),
            ("ConfigurationFunctionLogGroup", "configuration (events set up by organisers)"),
            ("ReviewFunctionLogGroup", "review (registrations, audit trail)"),
            ("InvitationFunctionLogGroup", "invitation (Cognito CustomMessage trigger)"),
            ("ScheduleFunctionLogGroup", "schedule"),
            ("OutboxRelayFunctionLogGroup", "outbox relay"),
            ("DocsFunctionLogGroup", "docs"),
            ("MatchmakingFunctionLogGroup", "matchmaking (meeting requests)"),
            ("RequestExpiryFunctionLogGroup", "meeting-request expiry sweep"),
            ("SearchFunctionLogGroup", "search (catalogue)"),
            ("SearchIndexerFunctionLogGroup", "search indexer"),
            ("SchedulingFunctionLogGroup", "scheduling"),
            ("CalendarFeedFunctionLogGroup", "calendar feed"),
            ("ScheduleSnapshotFunctionLogGroup", "scheduling run's snapshot step"),
            ("ScheduleCheckFunctionLogGroup", "scheduling run's check step"),
            ("ScheduleFailFunctionLogGroup", "scheduling run's fail step"),
            ("SchedulePublishFunctionLogGroup", "scheduling run's publish step"),
            ("InvoicesFunctionLogGroup", "invoices"),
            ("InvoicerFunctionLogGroup", "invoicer (invoices and credit notes from order events)"),
            ("DsarFunctionLogGroup", "data-subject requests"),
            ("DsarAwaitFunctionLogGroup", "data-subject request's await step"),
            ("DsarFindFunctionLogGroup", "data-subject request's find step"),
            ("DsarActFunctionLogGroup", "data-subject request's act step"),
            ("DsarCheckFunctionLogGroup", "data-subject request's check step"),
            ("DsarCertifyFunctionLogGroup", "data-subject request's certify step"),
            ("DsarFailFunctionLogGroup", "data-subject request's fail step"),
            ("DsarWatchFunctionLogGroup", "data-subject requests' due-date watch"),
            ("RetentionDueFunctionLogGroup", "retention sweep's due step"),
            ("RetentionSweepFunctionLogGroup", "retention sweep's sweep step"),
            ("RetentionReportFunctionLogGroup", "retention sweep's report step"),
            ("RequalificationFunctionLogGroup", "contact re-qualification passes"),
            ("TenantExportFunctionLogGroup", "tenant export (offboarding)"),
            ("TenantClosureFunctionLogGroup", "tenant closure (offboarding, HTTP)"),
            ("ClosureInventoryFunctionLogGroup", "tenant closure's inventory step"),
            ("ClosureEraseFunctionLogGroup", "tenant closure's erase step"),
            ("ClosureVerifyFunctionLogGroup", "tenant closure's verify step"),
            ("ClosureCertifyFunctionLogGroup", "tenant closure's certify step"),
            ("ClosureFailFunctionLogGroup", "tenant closure's fail step"),
            ("CheckoutFunctionLogGroup", "checkout (products, orders, payments, refunds)"),
            ("StripeWebhookFunctionLogGroup", "Stripe webhook"),
            ("OrderExpiryFunctionLogGroup", "unpaid-order expiry sweep"),
        )
    ),
    Store(
        "OutboxRelayDeadLetters",
        StoreKind.DEAD_LETTERS,
        "Stream batches the outbox relay gave up on: shard and sequence numbers, no payload",
        (),
        (),
        Expiry(RELAY_DEAD_LETTER_DAYS, "queue MessageRetentionPeriod", "OutboxRelayDeadLetters"),
        Erasure.NOT_PERSONAL,
        "nothing: pointers to stream records; the outbox items they name expire after 7 days",
    ),
    Store(
        "CatalogueDomain",
        StoreKind.SEARCH_INDEX,
        "The participants' catalogue (OpenSearch; tantivy in the local cloud's memory): one index per "
        "tenant, one card per validated company. No e-mail, no phone, no website, VAT or free answer",
        (
            _p("company_name", Category.PROFESSIONAL, "catalogue: find and show the company"),
            _p("people.first_name", Category.IDENTITY, "catalogue: whom to meet"),
            _p("people.last_name", Category.IDENTITY, "catalogue: whom to meet"),
            _p("people.job_title", Category.PROFESSIONAL, "catalogue: whom to meet"),
            _p("needs, offers, sectors, description", Category.PROFESSIONAL, "search and suggestions"),
        ),
        (
            Lookup("registration_id", "document id in index salon-<tenant>-catalogue"),
            Lookup("participant_id", "people.participant_id of the company's card"),
        ),
        EVENT_DATA,
        Erasure.DELETE,
        "a copy of the table: the indexer rebuilds the company's card from the table on every change "
        "(a deactivated participant leaves it, a refused company is deleted); an erased registration "
        "leaves it on its next event, and a rebuild of the event (POST .../catalogue/rebuild) replaces it",
    ),
    Store(
        "SearchIndexerQueue",
        StoreKind.EVENT_PAYLOADS,
        "Domain events on their way to the search indexer: ids only (EventDetail)",
        (_p("detail", Category.TECHNICAL, "tenant, event, registration, participant and actor ids"),),
        (Lookup("participant_id", "not searchable: messages are read in order and deleted once handled"),),
        Expiry(INDEXER_QUEUE_DAYS, "queue MessageRetentionPeriod", "SearchIndexerQueue"),
        Erasure.EXPIRE,
        "nothing personal beyond ids; messages leave once handled, at most after 4 days",
    ),
    Store(
        "SearchIndexerDeadLetters",
        StoreKind.DEAD_LETTERS,
        "Domain events the search indexer failed on five times: ids only, kept for replay",
        (_p("detail", Category.TECHNICAL, "tenant, event, registration, participant and actor ids"),),
        (Lookup("registration_id", "read the queue's messages (ids only)"),),
        Expiry(INDEXER_DEAD_LETTER_DAYS, "queue MessageRetentionPeriod", "SearchIndexerDeadLetters"),
        Erasure.EXPIRE,
        "nothing personal beyond ids; replay then purge, or let them expire after 14 days",
    ),
    Store(
        "InvoicerQueue",
        StoreKind.EVENT_PAYLOADS,
        "Order events on their way to the invoicer: ids only (EventDetail)",
        (_p("detail", Category.TECHNICAL, "tenant, event, registration, order, refund and actor ids"),),
        (Lookup("registration_id", "not searchable: messages are read in order and deleted once handled"),),
        Expiry(INDEXER_QUEUE_DAYS, "queue MessageRetentionPeriod", "InvoicerQueue"),
        Erasure.EXPIRE,
        "nothing personal beyond ids; messages leave once handled, at most after 4 days",
    ),
    Store(
        "InvoicerDeadLetters",
        StoreKind.DEAD_LETTERS,
        "Order events the invoicer failed on five times: ids only, kept for replay",
        (_p("detail", Category.TECHNICAL, "tenant, event, registration, order, refund and actor ids"),),
        (Lookup("registration_id", "read the queue's messages (ids only)"),),
        Expiry(INDEXER_DEAD_LETTER_DAYS, "queue MessageRetentionPeriod", "InvoicerDeadLetters"),
        Erasure.EXPIRE,
        "nothing personal beyond ids; replay then purge, or let them expire after 14 days",
    ),
    # ---- notifications (salon.notify): the delivery log and suppression list are table items (REGISTRY)
    *(
        Store(
            logical_id,
            StoreKind.LOGS,
            f"Logs of the {function} function (Powertools JSON): ids, kinds, statuses; no address, no body",
            (_p("ids", Category.TECHNICAL, "tenant, event, participant, message key and SES message ids"),),
            (Lookup("participant_id", "CloudWatch Logs Insights filter on the id fields"),),
            Expiry(LOG_RETENTION_DAYS, "log group retention", "LogRetentionDays"),
            Erasure.EXPIRE,
            "expire with the log retention: logs carry ids only, never names, e-mails or phones",
        )
        for logical_id, function in (
            ("NotifyFunctionLogGroup", "notify"),
            ("NotifyApiFunctionLogGroup", "notify API (mobiles, delivery log)"),
            ("NotifyFeedbackFunctionLogGroup", "notify feedback (bounces, complaints, STOP)"),
            ("ReminderFunctionLogGroup", "reminder"),
        )
    ),
    Store(
        "NotifyFunctionRole.ScheduleGroups",
        StoreKind.EVENT_PAYLOADS,
        "EventBridge Scheduler groups, one per event (created through the API, not the template): "
        "one-time reminder schedules whose input holds ids only (tenant, event, kind, participant, "
        "meeting) and the planned time",
        (_p("input", Category.TECHNICAL, "tenant, event, participant and meeting ids"),),
        (Lookup("participant_id", "not searchable: a schedule's name is a hash of its kind and ids"),),
        Expiry(
            1,
            "one-time schedules delete themselves once fired; the group is deleted at the event's end",
            "ReminderFunction",
        ),
        Erasure.EXPIRE,
        "nothing personal beyond ids; a schedule fires and goes, the group goes when the event ends",
    ),
    Store(
        "NotifyQueue",
        StoreKind.EVENT_PAYLOADS,
        "Domain events on their way to the notify function: ids only (EventDetail)",
        (_p("detail", Category.TECHNICAL, "tenant, event, registration, participant and actor ids"),),
        (Lookup("participant_id", "not searchable: messages are read in order and deleted once handled"),),
        Expiry(NOTIFY_QUEUE_DAYS, "queue MessageRetentionPeriod", "NotifyQueue"),
        Erasure.EXPIRE,
        "nothing personal beyond ids; messages leave once handled, at most after 4 days",
    ),
    Store(
        "NotifyDeadLetters",
        StoreKind.DEAD_LETTERS,
        "Domain events the notify function failed on five times: ids only, kept for replay",
        (_p("detail", Category.TECHNICAL, "tenant, event, registration, participant and actor ids"),),
        (Lookup("participant_id", "read the queue's messages (ids only)"),),
        Expiry(NOTIFY_DEAD_LETTER_DAYS, "queue MessageRetentionPeriod", "NotifyDeadLetters"),
        Erasure.EXPIRE,
        "nothing personal beyond ids; replay then purge, or let them expire after 14 days",
    ),
    Store(
        "EmailFeedbackTopic",
        StoreKind.EVENT_PAYLOADS,
        "SES events of the notify configuration set (delivery, bounce, complaint) on their way to the "
        "feedback function: recipient address, SES message id, the message's tags (ids)",
        (
            _p("mail.destination", Category.CONTACT, "which address bounced or complained"),
            _p("mail.tags", Category.TECHNICAL, "tenant, participant and message key"),
        ),
        (Lookup("participant_id", "not searchable: SNS keeps nothing once delivered"),),
        Expiry(SNS_RETRY_DAYS, "SNS delivery retries to Lambda, then dropped", "AWS (not configurable)"),
        Erasure.EXPIRE,
        "nothing stored: SNS passes each event on and keeps no copy once delivered",
    ),
    Store(
        "SmsInboundTopic",
        StoreKind.EVENT_PAYLOADS,
        "Inbound SMS (replies to the SMS sender, e.g. STOP) on their way to the feedback function",
        (
            _p("originationNumber", Category.CONTACT, "which number opts out"),
            _p("messageBody", Category.PREFERENCES, "the reply (STOP)"),
        ),
        (Lookup("phone", "not searchable: SNS keeps nothing once delivered"),),
        Expiry(SNS_RETRY_DAYS, "SNS delivery retries to Lambda, then dropped", "AWS (not configurable)"),
        Erasure.EXPIRE,
        "nothing stored: SNS passes each message on and keeps no copy once delivered",
    ),
    Store(
        "DsarBucket",
        StoreKind.DOCUMENTS,
        "Access and portability archives (a JSON document and a CSV file per store) and the "
        "certificates of data-subject requests, under the tenant's prefix",
        (
            _p("archive", Category.CONTACT, "the person's data of every store, for the DPO to hand over"),
            _p("certificate", Category.TECHNICAL, "request ids, stores and counts: no name, no e-mail"),
        ),
        (Lookup("dsar_id", "<tenant>/dsar/<dsar_id>/: the request names its documents"),),
        Expiry(DSAR_DOCUMENT_DAYS, "S3 lifecycle rule ExpireRequestDocuments", "DsarBucket lifecycle"),
        Erasure.EXPIRE,
        "expire by lifecycle after 7 days; the request keeps its certificate in the table",
    ),
    Store(
        "DsarStateMachine",
        StoreKind.EVENT_PAYLOADS,
        "Execution history of data-subject requests: tenant and request ids, batch names, task tokens",
        (_p("input", Category.TECHNICAL, "tenant and request ids; the e-mail stays in the table"),),
        (Lookup("dsar_id", "executions are named after the requests"),),
        Expiry(90, "Step Functions keeps a standard execution's history 90 days", "AWS (not configurable)"),
        Erasure.NOT_PERSONAL,
        "nothing: the steps pass ids and store names, never names, e-mails or participant data",
    ),
    Store(
        "TenantClosureStateMachine",
        StoreKind.EVENT_PAYLOADS,
        "Execution history of tenant closures: tenant and closure ids, store names",
        (_p("input", Category.TECHNICAL, "tenant and closure ids, the stores erased"),),
        (Lookup("closure_id", "executions are named after the closures"),),
        Expiry(90, "Step Functions keeps a standard execution's history 90 days", "AWS (not configurable)"),
        Erasure.NOT_PERSONAL,
        "nothing: the steps pass ids and store names only",
    ),
    Store(
        "RetentionSweepStateMachine",
        StoreKind.EVENT_PAYLOADS,
        "Execution history of retention sweeps: tenant and event ids, counts per item type",
        (_p("input", Category.TECHNICAL, "tenant and event ids, the sweep's clock"),),
        (Lookup("event_id", "not by person: sweeps name events, never participants"),),
        Expiry(90, "Step Functions keeps a standard execution's history 90 days", "AWS (not configurable)"),
        Erasure.NOT_PERSONAL,
        "nothing: the steps pass ids and counts only",
    ),
    Store(
        "PersonKeySecret",
        StoreKind.SECRET,
        "Master key of the per-tenant keyed e-mail hashes (person_key)",
        (),
        (),
        None,
        Erasure.NOT_PERSONAL,
        "nothing: a key, not personal data (it must outlive the claims it keys)",
    ),
    Store(
        "StripeSecret",
        StoreKind.SECRET,
        "Stripe's keys: secret API key, webhook signing secret, account id",
        (),
        (),
        None,
        Erasure.NOT_PERSONAL,
        "nothing: keys, not personal data",
    ),
)

STORES: Mapping[str, Store] = {store.logical_id: store for store in _STORES}
