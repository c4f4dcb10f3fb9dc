"""Key layout of the single table and of the audit table. Every partition key starts with
``T#<tenant_id>#`` (structural isolation).

See docs/DATA_MODEL.md.
"""

from __future__ import annotations


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
    """What a document was issued for (``ORDER#<order_id>``, ``CREDIT#<invoice_id>#<reference>``): the
    marker that makes a second issue for the same source return the first document."""
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
