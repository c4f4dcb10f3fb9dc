"""Key layout of the single table and of the audit table. Every partition key starts with
``T#<tenant_id>#`` (structural isolation).

See docs/DATA_MODEL.md.
"""

from __future__ import annotations

# Keys and index attributes say where an item is stored, not what it holds.
STORAGE_ATTRIBUTES = frozenset({"PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK"})


def tenant(tenant_id: str) -> str:
    return f"T#{tenant_id}#"


def event_pk(tenant_id: str, event_id: str) -> str:
    return f"T#{tenant_id}#EVENT#{event_id}"


EVENT_SK = "EVENT"
FORM_SK = "FORM"
TAXONOMY_SK = "TAXONOMY"


def type_sk(code: str) -> str:
    return f"TYPE#{code}"


def events_index(tenant_id: str) -> str:
    return f"T#{tenant_id}#EVENTS"


def event_locator(event_id: str) -> str:
    """GSI2 partition of an event's item: resolves a public event id to its tenant."""
    return f"EVENT#{event_id}"


def email_sk(person_key: str) -> str:
    """Sort key of an e-mail claim: the keyed hash of the e-mail (``salon.kernel.person_key``)."""
    return f"EMAIL#{person_key}"


def registration_pk(tenant_id: str, registration_id: str) -> str:
    return f"T#{tenant_id}#REG#{registration_id}"


REGISTRATION_SK = "REGISTRATION"


def registrations_index(tenant_id: str, event_id: str) -> str:
    return f"T#{tenant_id}#EVENT#{event_id}#REGS"


def participant_sk(participant_id: str) -> str:
    return f"PARTICIPANT#{participant_id}"


def profile_sk(participant_id: str) -> str:
    return f"PROFILE#{participant_id}"


def participant_index(tenant_id: str, participant_id: str) -> str:
    return f"T#{tenant_id}#PARTICIPANT#{participant_id}"


def user_pk(tenant_id: str, user_sub: str) -> str:
    return f"T#{tenant_id}#USER#{user_sub}"


# ---------------------------------------------------------------- the audit table


def audit_record_pk(tenant_id: str, audit_id: str) -> str:
    return f"T#{tenant_id}#AUDIT#{audit_id}"


AUDIT_RECORD_SK = "RECORD"


def audit_subject_pk(tenant_id: str, subject_id: str) -> str:
    return f"T#{tenant_id}#SUBJECT#{subject_id}"


def audit_actor_index(tenant_id: str, actor_id: str) -> str:
    return f"T#{tenant_id}#ACTOR#{actor_id}"


def audit_moment(at: str, audit_id: str) -> str:
    """Sort key of a record in the by-actor index and of a subject's index item: time, then id."""
    return f"{at}#{audit_id}"


def outbox_pk(tenant_id: str, dedupe_id: str) -> str:
    """Keyed by the dedupe id: a replayed change overwrites its record (a MODIFY, never relayed)."""
    return f"T#{tenant_id}#OUTBOX#{dedupe_id}"


OUTBOX_SK = "OUTBOX"


MATCHMAKING_SK = "MATCHMAKING"  # an event's meeting-request caps, in the event's partition
REQUEST_SK = "REQUEST"
PAIR_SK = "PAIR"
REQUEST_COUNTERS_SK = "REQUESTS#COUNTERS"  # in the sender's registration partition


ANSWERS_DEADLINE_SK = "MREQS#ANSWERS_DEADLINE"  # an event's answers deadline, in the event's partition
# GSI1 partition of every event's answers deadline, all tenants: the expiry sweep's only entry point.
# Sparse: an entry leaves it once swept (or when its event has no answers deadline).
ANSWERS_DEADLINES_INDEX = "MREQS#ANSWERS_DEADLINES"


def answers_deadline_sort(deadline_utc: str, tenant_id: str, event_id: str) -> str:
    """GSI1 sort key: the deadline first (ISO 8601 UTC), so "due by now" is one range condition."""
    return f"{deadline_utc}#{tenant_id}#{event_id}"


def request_pk(tenant_id: str, request_id: str) -> str:
    return f"T#{tenant_id}#MREQ#{request_id}"


def pair_pk(tenant_id: str, registration_a: str, registration_b: str) -> str:
    """One item per unordered pair of companies: the two registration ids, sorted."""
    low, high = sorted((registration_a, registration_b))
    return f"T#{tenant_id}#PAIR#{low}#{high}"


def event_requests_index(tenant_id: str, event_id: str) -> str:
    """GSI1 partition of an event's meeting requests (sort key ``FROM#<from>#<state>#<request_id>``)."""
    return f"T#{tenant_id}#EVENT#{event_id}#MREQS"


def received_requests_index(tenant_id: str, registration_id: str) -> str:
    """GSI2 partition of the requests a company received (sort key ``<state>#<request_id>``)."""
    return f"T#{tenant_id}#REG#{registration_id}#MREQS#IN"


GRID_SK = "GRID"  # an event's meeting grid, in the event's partition
ACTIVE_RUN_SK = "SCHEDULE#ACTIVE"  # the event's one active scheduling run, in the event's partition
RUN_SK = "RUN"


def unavailability_sk(participant_id: str) -> str:
    """A participant's declared unavailability, in the event's partition."""
    return f"UNAVAILABLE#{participant_id}"


def meeting_sk(meeting_id: str) -> str:
    """A published meeting, in its event's partition."""
    return f"MEETING#{meeting_id}"


MEETING_LOCATOR_SK = "MEETING"


def meeting_locator(tenant_id: str, meeting_id: str) -> str:
    """GSI2 partition of a meeting: resolves a meeting id to its event."""
    return f"T#{tenant_id}#MEETING#{meeting_id}"


def agenda_sk(participant_id: str) -> str:
    """A participant's published agenda (its latest version), in its event's partition."""
    return f"AGENDA#{participant_id}"


def calendar_feed_sk(participant_id: str) -> str:
    """A participant's calendar feed (its secret token), in the event's partition."""
    return f"CALENDAR#{participant_id}"


def calendar_feed_locator(token_hash: str) -> str:
    """GSI2 partition of a calendar feed: the SHA-256 of its token resolves a public URL to its
    tenant, event and participant (the feed then rereads the item itself, consistently)."""
    return f"CALENDAR#{token_hash}"


CALENDAR_FEED_LOCATOR_SK = "CALENDAR"


def run_pk(tenant_id: str, run_id: str) -> str:
    return f"T#{tenant_id}#RUN#{run_id}"


def run_prefix(tenant_id: str, run_id: str) -> str:
    """The run's documents in the schedule bucket, under the tenant's prefix."""
    return f"{tenant_id}/runs/{run_id}/"


# ---------------------------------------------------------------- invoicing (salon.checkout.invoicing)


def seller_pk(tenant_id: str) -> str:
    """The tenant's seller details (the organiser's company, as printed on its invoices)."""
    return f"T#{tenant_id}#SELLER"


SELLER_SK = "SELLER"


def invoice_pk(tenant_id: str, invoice_id: str) -> str:
    """An invoice or credit note (``INVOICE``); for an invoice, what its credit notes took (``CREDITS``)."""
    return f"T#{tenant_id}#INVOICE#{invoice_id}"


INVOICE_SK = "INVOICE"
INVOICE_CREDITS_SK = "CREDITS"


def invoice_sequence_pk(tenant_id: str, year: int) -> str:
    """The last number issued in a year: the counter every issue of that year moves by one."""
    return f"T#{tenant_id}#INVOICE_SEQUENCE#{year}"


INVOICE_SEQUENCE_SK = "SEQUENCE"


def issued_for_pk(tenant_id: str, source: str) -> str:
    """What a document was issued for (``ORDER#<order_id>``, ``DEPOSIT#<order_id>``,
    ``CREDIT#<invoice_id>#<reference>``): the marker that makes a second issue for the same source
    return the first document."""
    return f"T#{tenant_id}#ISSUED#{source}"


ISSUED_FOR_SK = "ISSUED"


def event_invoices_index(tenant_id: str, event_id: str) -> str:
    """GSI1 partition of an event's invoices and credit notes (sort key: the number)."""
    return f"T#{tenant_id}#EVENT#{event_id}#INVOICES"


def registration_invoices_index(tenant_id: str, registration_id: str) -> str:
    """GSI2 partition of a company's invoices and credit notes (sort key: the number)."""
    return f"T#{tenant_id}#REG#{registration_id}#INVOICES"


def invoice_document(tenant_id: str, year: int, invoice_id: str, extension: str) -> str:
    """An invoice's document in the invoice bucket, under the tenant's prefix."""
    return f"{tenant_id}/invoices/{year}/{invoice_id}.{extension}"


# ---------------------------------------------------------------- data-subject requests


def person_pk(tenant_id: str, person_key: str) -> str:
    """A person of a tenant, by the keyed hash of its e-mail: GSI1 partition of its e-mail claims
    (every event of the tenant: the person index), table partition of its tombstone."""
    return f"T#{tenant_id}#PERSON#{person_key}"


def claim_sort(event_id: str) -> str:
    return f"CLAIM#{event_id}"


TOMBSTONE_SK = "TOMBSTONE"


# A registration naming an erased person's e-mail waits, in its own partition, for that person's
# fresh consent: the held sheet, and one consent request per erased participant.
HELD_REGISTRATION_SK = "HELD"
CONSENT_PREFIX = "CONSENT#"


def consent_sk(participant_id: str) -> str:
    return f"{CONSENT_PREFIX}{participant_id}"


def consent_locator(token_hash: str) -> str:
    """GSI2 partition of a consent request: the SHA-256 of its link's token (the public route's entry)."""
    return f"{CONSENT_PREFIX}{token_hash}"


CONSENT_LOCATOR_SK = "CONSENT"


FLAG_PREFIX = "FLAG#"


def flag_sk(kind: str, participant_id: str) -> str:
    """A processing flag (restriction, objection) of a participant, in its registration's partition:
    whoever reads the company's sheet reads its flags with it."""
    return f"{FLAG_PREFIX}{kind}#{participant_id}"


def dsar_pk(tenant_id: str, dsar_id: str) -> str:
    return f"T#{tenant_id}#DSAR#{dsar_id}"


DSAR_SK = "DSAR"


def dsars_index(tenant_id: str) -> str:
    """GSI1 partition of a tenant's data-subject requests (sort key ``<received_at>#<dsar_id>``)."""
    return f"T#{tenant_id}#DSARS"


# GSI1 partition of every running data-subject request, all tenants (sort key
# ``<due_at>#<tenant>#<dsar_id>``): the watch counts those close to their due date. Sparse: a lock
# leaves it when its request ends. It holds ids and dates only.
RUNNING_DSARS_INDEX = "DSARS#RUNNING"


def running_dsar_sort(due_at: str, tenant_id: str, dsar_id: str) -> str:
    return f"{due_at}#{tenant_id}#{dsar_id}"


def running_dsar_sk(kind: str) -> str:
    """The one running request of a kind for a person, in the person's partition (409 on a second)."""
    return f"DSAR#RUNNING#{kind}"


# ---------------------------------------------------------------- retention sweeps

RETENTION_SK = "RETENTION"  # an event's retention marker, in the event's partition
# GSI1 partition of every event's retention marker, all tenants (sort key ``<ends_at>#<tenant>#<event>``):
# the daily sweep finds the events whose data is due without scanning. Sparse: a swept event leaves it.
EVENTS_BY_END_INDEX = "RETENTION#EVENTS"


def event_end_sort(ends_at_utc: str, tenant_id: str, event_id: str) -> str:
    return f"{ends_at_utc}#{tenant_id}#{event_id}"


# An order's contractual-retention marker, in the order's partition; GSI1 partition of every marker, all
# tenants (sort key ``<due_on>#<tenant>#<order>``): the sweep finds the orders whose records are due for
# pseudonymisation (5 years after the relationship's end) without scanning. Sparse: done orders leave it.
CONTRACT_RETENTION_SK = "RETENTION#CONTRACT"
CONTRACTS_BY_DUE_INDEX = "RETENTION#CONTRACTS"


def contract_due_sort(due_on_utc: str, tenant_id: str, order_id: str) -> str:
    return f"{due_on_utc}#{tenant_id}#{order_id}"


def retention_report_pk(tenant_id: str, sweep_id: str) -> str:
    return f"T#{tenant_id}#RETENTION#{sweep_id}"


RETENTION_REPORT_SK = "REPORT"


def retention_reports_index(tenant_id: str) -> str:
    """GSI1 partition of a tenant's sweep reports (sort key ``<swept_at>#<sweep_id>``)."""
    return f"T#{tenant_id}#RETENTION_REPORTS"


def tenant_export_pk(tenant_id: str, export_id: str) -> str:
    return f"T#{tenant_id}#TENANT_EXPORT#{export_id}"


TENANT_EXPORT_SK = "TENANT_EXPORT"


def tenant_exports_index(tenant_id: str) -> str:
    """GSI1 partition of a tenant's exports (sort key: requested_at): the closure checks them."""
    return f"T#{tenant_id}#TENANT_EXPORTS"


# A tenant's closure lives outside the tenant's partitions: it must survive the deletion it records.
def closure_pk(closure_id: str) -> str:
    return f"CLOSURE#{closure_id}"


CLOSURE_SK = "CLOSURE"


def closure_lock_pk(tenant_id: str) -> str:
    """The one closure of a tenant (a second one is refused); outside the tenant's partitions too."""
    return f"CLOSED_TENANT#{tenant_id}"


CLOSURE_LOCK_SK = "LOCK"


# ---------------------------------------------------------------- checkout
def product_sk(product_id: str) -> str:
    """A product (and its units held by live orders), in its event's partition."""
    return f"PRODUCT#{product_id}"


PRODUCT_PREFIX = "PRODUCT#"


def promo_sk(code: str) -> str:
    """A promo code (and its uses), in its event's partition."""
    return f"PROMO#{code}"


def meeting_quota_sk(registration_id: str) -> str:
    """A company's meeting quota bought with paid packages, in the event's partition (scheduling reads it)."""
    return f"MEETING_QUOTA#{registration_id}"


def purchases_sk(product_id: str) -> str:
    """Units of a product a company holds through live orders, in its registration's partition."""
    return f"PURCHASED#{product_id}"


def order_pk(tenant_id: str, order_id: str) -> str:
    return f"T#{tenant_id}#ORDER#{order_id}"


ORDER_SK = "ORDER"
ORDER_EXPIRY_SK = "EXPIRY"  # the order's entry in the expiry index while it is pending


def payment_sk(payment_id: str) -> str:
    return f"PAYMENT#{payment_id}"


def refund_sk(refund_id: str) -> str:
    return f"REFUND#{refund_id}"


def registration_orders_index(tenant_id: str, registration_id: str) -> str:
    """GSI1 partition of a company's orders (sort key: placed at, then order id)."""
    return f"T#{tenant_id}#REG#{registration_id}#ORDERS"


def event_orders_index(tenant_id: str, event_id: str) -> str:
    """GSI2 partition of an event's orders (sort key: placed at, then order id)."""
    return f"T#{tenant_id}#EVENT#{event_id}#ORDERS"


# GSI1 partition of every pending order's expiry, all tenants: the unpaid-order sweep's only entry point.
# Sparse: an entry leaves it when its order is paid, cancelled or expired.
ORDER_EXPIRIES_INDEX = "ORDERS#EXPIRIES"


def order_expiry_sort(expires_utc: str, tenant_id: str, order_id: str) -> str:
    return f"{expires_utc}#{tenant_id}#{order_id}"


def stripe_event_pk(tenant_id: str, stripe_event_id: str) -> str:
    """A Stripe event processed for the tenant: its id is stored once (replays are recognised)."""
    return f"T#{tenant_id}#STRIPE_EVENT#{stripe_event_id}"


STRIPE_EVENT_SK = "STRIPE_EVENT"


# ---------------------------------------------------------------- notifications


def delivery_pk(tenant_id: str, participant_id: str) -> str:
    """A participant's delivery log (who was sent what, when, with which status)."""
    return f"T#{tenant_id}#DELIVERY#{participant_id}"


def delivery_sk(message_key: str) -> str:
    return f"MSG#{message_key}"


def suppression_pk(tenant_id: str) -> str:
    """The tenant's suppression list: addresses and numbers not to send to (keyed hashes)."""
    return f"T#{tenant_id}#SUPPRESSION"


def suppression_sk(channel: str, address_key: str) -> str:
    return f"{channel.upper()}#{address_key}"


def mobile_pk(tenant_id: str, participant_id: str) -> str:
    """A participant's mobile number for SMS and its verification."""
    return f"T#{tenant_id}#MOBILE#{participant_id}"


MOBILE_SK = "MOBILE"


def mobile_locator(number: str) -> str:
    """GSI1 partition of the mobile items holding an E.164 number: an inbound STOP finds its tenants."""
    return f"MOBILE#{number}"


def mailing_pk(tenant_id: str, mailing_id: str) -> str:
    return f"T#{tenant_id}#MAILING#{mailing_id}"


MAILING_SK = "MAILING"


def delivery_locator(message_key: str) -> str:
    """GSI1 partition of a mailing's delivery: its unsubscribe link names only the message key."""
    return f"MSGKEY#{message_key}"


# ---------------------------------------------------------------- contact re-qualification
# GSI1 partition of every participant, all tenants, sorted by when their data was last verified
# (sort key ``<verified_at>#<tenant>#<registration>#<participant>``): the twice-yearly pass finds the
# contacts not verified for 6 months with one range condition, without scanning.
CONTACTS_BY_VERIFICATION_INDEX = "CONTACTS#VERIFIED"


def contact_verified_keys(
    verified_at_utc: str, tenant_id: str, registration_id: str, participant_id: str
) -> dict[str, str]:
    """A participant's place in the verification index; rewritten whenever its data is verified."""
    return {
        "GSI1PK": CONTACTS_BY_VERIFICATION_INDEX,
        "GSI1SK": f"{verified_at_utc}#{tenant_id}#{registration_id}#{participant_id}",
    }


def requalification_sk(participant_id: str) -> str:
    """A participant's pending or overdue re-qualification, in its registration's partition."""
    return f"REQUAL#{participant_id}"


# GSI1 partition of every pending re-qualification, all tenants (sort key ``<due_at>#<tenant>#<reg>#<p>``):
# the daily pass flags those past their delay. Sparse: an entry leaves it when confirmed or flagged.
PENDING_REQUALIFICATIONS_INDEX = "REQUAL#PENDING"


def requalification_locator(token_hash: str) -> str:
    """GSI2 partition of a re-qualification: the SHA-256 of its link's token (the public route's entry)."""
    return f"REQUAL#{token_hash}"


REQUALIFICATION_LOCATOR_SK = "REQUAL"
