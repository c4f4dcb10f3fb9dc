"""The personal-data registry: item types of the table.

For every item type the repository may write, it declares which attributes hold personal data, their
category, how long the item may be kept and what erasure does to it. The repository refuses to write
an item type, or an attribute, that is not declared here (``check_item``). Form answers are classified
one by one from the event form (``answer_categories``). Every other place personal data lives (the
identity pool, idempotency records, logs, documents...) is declared in ``salon.kernel.stores``, whose
``STORES`` is where a subject-access or erasure workflow starts its walk.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Literal, Protocol

from salon.kernel.errors import UnregisteredItemType


class Category(StrEnum):
    IDENTITY = "identity"  # names
    CONTACT = "contact"  # e-mail, phone, hashed e-mail
    PROFESSIONAL = "professional"  # company, job, needs/offers, answers to the form
    PREFERENCES = "preferences"  # locale, consents
    TECHNICAL = "technical"  # account ids, request ids, actors in the audit trail


class Erasure(StrEnum):
    DELETE = "delete"  # the item is deleted
    PSEUDONYMISE = "pseudonymise"  # personal attributes are replaced, the item stays (statistics)
    EXPIRE = "expire"  # removed by the platform within a short, fixed delay (TTL, lifecycle, log retention)
    KEEP_LEGAL = "keep_legal"  # kept until retention ends for a legal obligation, then deleted
    NOT_PERSONAL = "not_personal"  # nothing personal to erase


Anchor = Literal["event_end", "written", "relationship_end"]


@dataclass(frozen=True)
class Retention:
    """Keep at most ``months`` (and ``days``) after ``anchor``."""

    anchor: Anchor
    months: int
    days: int = 0


EVENT_DATA = Retention("event_end", 36)  # seed: no longer than needed, 36 months at most
CONTRACTUAL = Retention("relationship_end", 60)  # invoices, contracts: 5 years
AUDIT_TRAIL = Retention("written", 36)
OUTBOX = Retention("written", 0, days=7)  # long enough to replay a relay outage, no longer
CONSENT_WAIT = Retention("written", 0, days=7)  # a registration awaiting an erased person's fresh consent
# Invoices and credit notes, and the accounting records they support: 10 years from issue (Code de
# commerce art. L123-22 for accounting documents; it covers the 6 years of the tax audit right, Livre
# des procédures fiscales art. L102 B). Counted from the issue date rather than the end of the financial
# year: at most a year sooner, which the bucket's lifecycle (10 years + 1) makes up for the documents.
ACCOUNTING_RECORDS = Retention("written", 120)
DSAR_RECORD = Retention("written", 60)  # proof a request was answered, for the limitation period
STRIPE_EVENTS = Retention("written", 0, days=30)  # beyond Stripe's 3 days of webhook retries
NOTIFICATION_LOG = Retention("written", 13)  # a season of events and its complaints, no longer
SUPPRESSION_LIST = Retention("written", 36)  # an opt-out or a hard bounce outlives the event


@dataclass(frozen=True)
class PersonalAttribute:
    name: str
    category: Category
    purpose: str
    # A map of answers to the event form's fields of this level: each answer's category is its
    # field's (``answer_categories``); ``category`` is that of an answer to an ordinary field.
    form_level: Literal["company", "participant"] | None = None


CONTACT_FIELD_TYPES = frozenset({"email", "phone"})


class FieldShape(Protocol):
    """What the registry needs of a form field (``salon.registration.domain.forms.FormField``)."""

    @property
    def key(self) -> str: ...

    @property
    def type(self) -> str: ...

    @property
    def level(self) -> str: ...


class FormShape(Protocol):
    @property
    def fields(self) -> Sequence[FieldShape]: ...


def answer_categories(form: FormShape, level: str) -> dict[str, Category]:
    """Answer key -> category, for the form's fields of ``level``: e-mail and phone answers are contact."""
    return {
        f.key: Category.CONTACT if f.type in CONTACT_FIELD_TYPES else Category.PROFESSIONAL
        for f in form.fields
        if f.level == level
    }


def contact_answer_keys(form: FormShape, level: str) -> frozenset[str]:
    """The answer keys at ``level`` that hold contact data."""
    return frozenset(k for k, c in answer_categories(form, level).items() if c is Category.CONTACT)


@dataclass(frozen=True)
class ItemSpec:
    item_type: str
    description: str
    subject_attribute: str | None  # the attribute that identifies the data subject, if any
    personal: tuple[PersonalAttribute, ...]
    other: frozenset[str]
    retention: Retention | None
    erasure: Erasure
    legal_basis: str
    append_only: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)
    # Contractual records: once ``pseudonymise_after`` has run from its anchor, the retention sweep
    # replaces the ``pseudonymised`` attributes with a keyed hash; the accounting content stays.
    pseudonymise_after: Retention | None = None
    pseudonymised: tuple[str, ...] = ()
    table: str = "SalonTable"  # the template's logical id of the table holding these items

    @property
    def personal_names(self) -> frozenset[str]:
        return frozenset(a.name for a in self.personal)

    @property
    def attributes(self) -> frozenset[str]:
        stamp = frozenset({"pseudonymised_at"}) if self.pseudonymised else frozenset()
        return self.personal_names | self.other | KEY_ATTRIBUTES | stamp


# Attributes every item may carry: keys, indexes, bookkeeping.
KEY_ATTRIBUTES = frozenset(
    {
        "PK",
        "SK",
        "GSI1PK",
        "GSI1SK",
        "GSI2PK",
        "GSI2SK",
        "item_type",
        "tenant_id",
        "expires_at",
        "created_at",
        "updated_at",
        "version",
    }
)


def _p(name: str, category: Category, purpose: str) -> PersonalAttribute:
    return PersonalAttribute(name, category, purpose)


def _answers(level: Literal["company", "participant"]) -> PersonalAttribute:
    return PersonalAttribute(
        "answers", Category.PROFESSIONAL, f"answers to the event form ({level} level)", form_level=level
    )


_CONFIG = "contract with the organiser (event configuration)"
_MATCHMAKING = "contract with the participant (the event's matchmaking service)"
_REGISTRATION = "pre-contractual steps at the data subject's request (registration)"
_ACCOUNTABILITY = "legal obligation (accountability, GDPR art. 5(2) and 32)"
_INVOICING = "legal obligation (invoicing and bookkeeping: CGI art. 289, Code de commerce art. L123-22)"
_ACCURACY = "legal obligation (accuracy of personal data, GDPR art. 5(1)(d))"
_SALE = "contract with the buyer (the sale of the participation)"
_BOOKKEEPING = "legal obligation (commercial and tax bookkeeping, French Commercial Code art. L123-22)"

_SPECS: tuple[ItemSpec, ...] = (
    ItemSpec(
        "event",
        "An event and its key dates",
        None,
        (),
        frozenset(
            {
                "event_id",
                "name",
                "starts_at",
                "ends_at",
                "time_zone",
                "locales",
                "currency",
                "vat_mode",
                "status",
                "key_dates",
                "branding",
                "deposit",
            }
        ),
        None,
        Erasure.NOT_PERSONAL,
        _CONFIG,
    ),
    ItemSpec(
        "answers_deadline",
        "An event's answers deadline, indexed for the sweep that expires unanswered meeting requests",
        None,
        (),
        frozenset({"event_id", "answers_deadline_at", "swept_at"}),
        None,
        Erasure.NOT_PERSONAL,
        _CONFIG,
    ),
    ItemSpec(
        "event_form",
        "The registration form of an event",
        None,
        (),
        frozenset({"event_id", "fields"}),
        None,
        Erasure.NOT_PERSONAL,
        _CONFIG,
    ),
    ItemSpec(
        "participation_type",
        "A participation type and its visibility rules",
        None,
        (),
        frozenset({"event_id", "code", "labels", "can_see", "can_request", "open_for_registration"}),
        None,
        Erasure.NOT_PERSONAL,
        _CONFIG,
    ),
    ItemSpec(
        "taxonomy",
        "The sector taxonomy of an event",
        None,
        (),
        frozenset({"event_id", "nodes"}),
        None,
        Erasure.NOT_PERSONAL,
        _CONFIG,
    ),
    ItemSpec(
        "registration",
        "A company sheet: the registering company, its type and state",
        "registration_id",
        (
            _p("company_name", Category.PROFESSIONAL, "identify the registered company"),
            _p("country", Category.PROFESSIONAL, "matchmaking, invoicing"),
            _p("website", Category.PROFESSIONAL, "catalogue"),
            _answers("company"),
            _p("decision_reason", Category.PROFESSIONAL, "why the organiser refused or validated"),
            _p("decided_by", Category.TECHNICAL, "accountability of the decision"),
            _p("search_text", Category.IDENTITY, "organiser search over names, e-mails, company"),
            _p("company_verified_at", Category.TECHNICAL, "last verification of the sheet"),
        ),
        frozenset(
            {
                "registration_id",
                "event_id",
                "type",
                "state",
                "locale",
                "participant_ids",
                "decided_at",
                "completeness",
                "requalification_overdue",  # how many of its participants are flagged (a count)
            }
        ),
        EVENT_DATA,
        Erasure.DELETE,
        _REGISTRATION,
    ),
    ItemSpec(
        "participant",
        "A person of a registered company",
        "participant_id",
        (
            _p("first_name", Category.IDENTITY, "identify the participant"),
            _p("last_name", Category.IDENTITY, "identify the participant"),
            _p("email", Category.CONTACT, "login, notifications"),
            _p("phone", Category.CONTACT, "SMS agenda changes during the event"),
            _p("job_title", Category.PROFESSIONAL, "catalogue, matchmaking"),
            _p("locale", Category.PREFERENCES, "language of communications"),
            _answers("participant"),
            _p("user_sub", Category.TECHNICAL, "link to the login account"),
            # p:<tenant>:<e-mail>: it carries the e-mail.
            _p("cognito_username", Category.CONTACT, "administer the login account"),
            _p("last_verified_at", Category.TECHNICAL, "re-qualification of contact data"),
            _p(
                "requalification_overdue_at", Category.TECHNICAL, "tell the organiser the data is unconfirmed"
            ),
            _p(
                "consented_at",
                Category.PREFERENCES,
                "an erased person's fresh consent to be registered again",
            ),
        ),
        frozenset({"participant_id", "registration_id", "event_id", "account_status", "position"}),
        EVENT_DATA,
        Erasure.DELETE,
        _REGISTRATION,
    ),
    ItemSpec(
        "profile",
        "A participant's matchmaking profile",
        "participant_id",
        (
            _p("needs", Category.PROFESSIONAL, "matchmaking"),
            _p("offers", Category.PROFESSIONAL, "matchmaking"),
            _p("description", Category.PROFESSIONAL, "catalogue"),
            _p("last_verified_at", Category.TECHNICAL, "re-qualification"),
        ),
        frozenset({"participant_id", "registration_id", "event_id"}),
        EVENT_DATA,
        Erasure.DELETE,
        _REGISTRATION,
    ),
    ItemSpec(
        "email_claim",
        "Uniqueness of an e-mail inside an event (keyed by person_key, an HMAC of the e-mail)",
        "participant_id",
        (_p("email_hash", Category.CONTACT, "refuse duplicate registrations"),),
        frozenset({"participant_id", "registration_id", "event_id"}),
        EVENT_DATA,
        Erasure.DELETE,
        _REGISTRATION,
    ),
    ItemSpec(
        "user_link",
        "Which participant records a login account owns",
        "participant_id",
        (_p("user_sub", Category.TECHNICAL, "resolve /me"),),
        frozenset({"participant_id", "registration_id", "event_id"}),
        EVENT_DATA,
        Erasure.DELETE,
        _REGISTRATION,
    ),
    ItemSpec(
        "matchmaking_config",
        "An event's meeting-request caps per participation type",
        None,
        (),
        frozenset({"event_id", "limits"}),
        None,
        Erasure.NOT_PERSONAL,
        _CONFIG,
    ),
    ItemSpec(
        "meeting_request",
        "A meeting request between two companies of an event (ids, message, state)",
        "from_registration_id",
        (
            _p("message", Category.PROFESSIONAL, "tell the other company why to meet"),
            _p("refusal_reason", Category.PROFESSIONAL, "tell the requester why not"),
            _p("from_participant_ids", Category.TECHNICAL, "who of the requesting company attends"),
            _p("to_participant_ids", Category.TECHNICAL, "whom of the other company to meet"),
            _p("sent_by", Category.TECHNICAL, "accountability: who sent, for whom"),
            _p("answered_by", Category.TECHNICAL, "accountability: who answered, for whom"),
        ),
        frozenset(
            {
                "request_id",
                "event_id",
                "from_registration_id",
                "to_registration_id",
                "priority",
                "state",
                "mutual",
                "answered_at",
                "ended_at",
            }
        ),
        EVENT_DATA,
        # The other company's request stays: an erased person's ids leave its lists.
        Erasure.PSEUDONYMISE,
        _MATCHMAKING,
    ),
    ItemSpec(
        "request_pair",
        "The one live meeting request of a pair of companies, and the organiser's boost of the pair",
        None,
        (),
        frozenset(
            {
                "event_id",
                "registration_ids",
                "live_request_id",
                "live_from",
                "live_state",
                "last_request_id",
                "last_state",
                "boost",
            }
        ),
        EVENT_DATA,
        Erasure.NOT_PERSONAL,
        _MATCHMAKING,
    ),
    ItemSpec(
        "request_counters",
        "A company's live meeting requests sent, and how many at priority 1 (caps)",
        None,
        (),
        frozenset({"event_id", "registration_id", "sent_count", "priority_one_count"}),
        EVENT_DATA,
        Erasure.NOT_PERSONAL,
        _MATCHMAKING,
    ),
    ItemSpec(
        "meeting_grid",
        "An event's meeting grid: days, slots, pauses, tables, sessions, quotas, mass unavailability",
        None,
        (),
        frozenset({"event_id", "grid"}),
        None,
        Erasure.NOT_PERSONAL,
        _CONFIG,
    ),
    ItemSpec(
        "unavailability",
        "When a participant cannot meet during an event (time ranges)",
        "participant_id",
        (_p("periods", Category.PROFESSIONAL, "keep meetings out of the participant's unavailable time"),),
        frozenset({"event_id", "participant_id"}),
        EVENT_DATA,
        Erasure.DELETE,
        _MATCHMAKING,
    ),
    ItemSpec(
        "schedule_run",
        "A scheduling run: status, stages, statistics (request ids, no names), why it or its publish failed",
        None,
        (_p("started_by", Category.TECHNICAL, "accountability: who started the run"),),
        frozenset(
            {
                "run_id",
                "event_id",
                "status",
                "mode",
                "time_limit_s",
                "seed",
                "stages",
                "statistics",
                "failure",
                "grid_version",
                "publish_attempts",
                "publish_progress",
                "publish_error",
                "published_at",
            }
        ),
        EVENT_DATA,
        Erasure.DELETE,
        _MATCHMAKING,
    ),
    ItemSpec(
        "active_schedule_run",
        "The one active scheduling run of an event (absent run_id: none) and its published run",
        None,
        (),
        frozenset({"event_id", "run_id", "published_run_id"}),
        None,
        Erasure.NOT_PERSONAL,
        _MATCHMAKING,
    ),
    ItemSpec(
        "meeting",
        "A published meeting: slot, table, the two companies, who attends, its request, its lock",
        "registration_ids",
        (
            _p("participant_ids", Category.TECHNICAL, "who attends the meeting"),
            _p("cancelled_by", Category.TECHNICAL, "accountability: who cancelled the meeting by hand"),
        ),
        frozenset(
            {
                "meeting_id",
                "event_id",
                "run_id",
                "status",
                "starts_at",
                "ends_at",
                "table",
                "request_id",
                "registration_ids",
                "locked",
            }
        ),
        EVENT_DATA,
        Erasure.PSEUDONYMISE,  # the other company's meeting stays: the person's id leaves the list
        _MATCHMAKING,
    ),
    ItemSpec(
        "agenda",
        "A participant's published agenda: its version and meetings (ids and times)",
        "participant_id",
        (_p("meetings", Category.PROFESSIONAL, "the participant's meetings, to diff the next version"),),
        frozenset({"event_id", "participant_id", "version", "run_id", "meeting_ids"}),
        EVENT_DATA,
        Erasure.DELETE,
        _MATCHMAKING,
    ),
    # ---- notifications (salon.notify)
    ItemSpec(
        "delivery",
        "The delivery log: which message kind was sent to a participant, when, by which channel, its "
        "status (no address, no body)",
        "participant_id",
        (
            _p("participant_id", Category.TECHNICAL, "whom the message was for"),
            _p("reason", Category.TECHNICAL, "why nothing was sent, or why it bounced"),
        ),
        frozenset(
            {
                "message_key",
                "event_id",
                "kind",
                "channel",
                "status",
                "sent_at",
                "provider_message_id",
                "mailing_id",
            }
        ),
        NOTIFICATION_LOG,
        Erasure.DELETE,
        "legitimate interest (prove what was sent, tell the organiser why a person got nothing)",
    ),
    ItemSpec(
        "suppression",
        "A tenant's suppression list entry: the keyed hash of an address or number not to send to "
        "(hard bounce, complaint, unsubscribe, STOP), and its scope",
        "participant_id",
        (
            _p("address_key", Category.CONTACT, "never send again to a suppressed address or number"),
            _p("participant_id", Category.TECHNICAL, "whose address it was, for the organiser"),
        ),
        frozenset({"channel", "scope", "reason", "at"}),
        SUPPRESSION_LIST,
        Erasure.PSEUDONYMISE,
        "legal obligation (honour an objection or opt-out) and legitimate interest (sender reputation)",
    ),
    ItemSpec(
        "mailing",
        "An organiser mailing: its texts (templates with placeholders, no personal data), audience "
        "filter, status and progress counts",
        None,
        (_p("created_by", Category.TECHNICAL, "accountability: who wrote and sent the mailing"),),
        frozenset(
            {
                "mailing_id",
                "event_id",
                "subject",
                "body",
                "audience",
                "status",
                "recipients",
                "queued",
                "sent",
                "delivered",
                "bounced",
                "complained",
                "suppressed",
            }
        ),
        EVENT_DATA,
        Erasure.DELETE,
        _CONFIG,
    ),
    ItemSpec(
        "mobile_number",
        "A participant's mobile number for SMS and its verification (one-time code hash, attempts)",
        "participant_id",
        (
            _p("number", Category.CONTACT, "SMS about agenda changes during the event"),
            _p("code_hash", Category.TECHNICAL, "verify the number is the participant's"),
        ),
        frozenset({"participant_id", "event_id", "verified_at", "attempts"}),
        EVENT_DATA,
        Erasure.DELETE,
        _MATCHMAKING,
    ),
    ItemSpec(
        "requalification",
        "A participant asked to confirm their data (twice a year, once unverified for 6 months): its "
        "round, when it is due and whether it is overdue; deleted when the person confirms",
        "participant_id",
        (_p("token_hash", Category.TECHNICAL, "find the request from its confirmation link"),),
        frozenset(
            {"event_id", "participant_id", "registration_id", "round", "requested_at", "due_at", "status"}
        ),
        EVENT_DATA,
        Erasure.DELETE,
        _ACCURACY,
    ),
    ItemSpec(
        "calendar_feed",
        "A participant's calendar feed: the secret token of its URL (revoked by deleting the item)",
        "participant_id",
        (_p("token", Category.TECHNICAL, "the secret that lets calendar apps read the agenda"),),
        frozenset({"event_id", "participant_id", "registration_id"}),
        EVENT_DATA,
        Erasure.DELETE,
        _MATCHMAKING,
    ),
    ItemSpec(
        "product",
        "A product an event sells (package or option): price, VAT rate, stock and units held by live orders",
        None,
        (),
        frozenset(
            {
                "product_id",
                "event_id",
                "kind",
                "name",
                "description",
                "price_cents",
                "vat_rate",
                "participants_included",
                "meeting_quota",
                "stock",
                "max_per_company",
                "sale_starts_at",
                "sale_ends_at",
                "visible_to",
                "sold",
            }
        ),
        None,
        Erasure.NOT_PERSONAL,
        _CONFIG,
    ),
    ItemSpec(
        "promo_code",
        "A promo code of an event: discount, products, validity, maximum and current uses",
        None,
        (),
        frozenset(
            {
                "code",
                "event_id",
                "kind",
                "value",
                "product_ids",
                "valid_from",
                "valid_until",
                "max_uses",
                "uses",
            }
        ),
        None,
        Erasure.NOT_PERSONAL,
        _CONFIG,
    ),
    ItemSpec(
        "purchase_counter",
        "Units of a product a company holds through its live orders (the per-company maximum)",
        None,
        (),
        frozenset({"event_id", "product_id", "registration_id", "quantity"}),
        EVENT_DATA,
        Erasure.NOT_PERSONAL,
        _SALE,
    ),
    ItemSpec(
        "meeting_quota",
        "The meetings a company's paid packages give it, read by scheduling runs",
        None,
        (),
        frozenset({"event_id", "registration_id", "meeting_quota"}),
        EVENT_DATA,
        Erasure.NOT_PERSONAL,
        _SALE,
    ),
    ItemSpec(
        "order",
        "An order of a company: lines, totals, billing details, payment method and state",
        "registration_id",
        (
            _p("billing", Category.PROFESSIONAL, "invoice the buyer: company, address, VAT number, PO"),
            _p("placed_by", Category.TECHNICAL, "accountability: who placed the order"),
            _p("buyer_locale", Category.PREFERENCES, "language of the invoice"),
        ),
        frozenset(
            {
                "order_id",
                "event_id",
                "registration_id",
                "state",
                "payment_method",
                "currency",
                "vat_mode",
                "lines",
                "promo_code",
                "totals",
                "placed_at",
                "hold_until",
                "due_at",
                "paid_at",
                "paid_cents",
                "refunded_cents",
                "payment_intent_id",
                "ended_at",
                "instalments",
            }
        ),
        ACCOUNTING_RECORDS,
        Erasure.KEEP_LEGAL,
        _BOOKKEEPING,
        pseudonymise_after=CONTRACTUAL,
        pseudonymised=("billing", "placed_by"),
    ),
    ItemSpec(
        "order_expiry",
        "A pending order's entry in the expiry index (ids and the expiry instant)",
        None,
        (),
        frozenset({"order_id", "expires_on"}),
        CONTRACTUAL,
        Erasure.NOT_PERSONAL,
        _SALE,
    ),
    ItemSpec(
        "payment",
        "A payment of an order: card (Stripe PaymentIntent) or recorded by the organiser",
        None,
        (
            _p("reference", Category.PROFESSIONAL, "match the payment with the bank statement"),
            _p("recorded_by", Category.TECHNICAL, "accountability: who recorded it"),
        ),
        frozenset({"payment_id", "order_id", "method", "amount_cents", "received_on", "stripe_event_id"}),
        ACCOUNTING_RECORDS,
        Erasure.KEEP_LEGAL,
        _BOOKKEEPING,
        pseudonymise_after=CONTRACTUAL,
        pseudonymised=("reference", "recorded_by"),
    ),
    ItemSpec(
        "refund",
        "A refund of an order (by card through Stripe, or recorded)",
        None,
        (
            _p("reason", Category.PROFESSIONAL, "why the order was refunded (credit note)"),
            _p("recorded_by", Category.TECHNICAL, "accountability: who refunded"),
        ),
        frozenset({"refund_id", "order_id", "amount_cents", "stripe_refund_id", "stripe_event_id"}),
        ACCOUNTING_RECORDS,
        Erasure.KEEP_LEGAL,
        _BOOKKEEPING,
        pseudonymise_after=CONTRACTUAL,
        pseudonymised=("reason", "recorded_by"),
    ),
    ItemSpec(
        "stripe_event",
        "A Stripe webhook event already processed (id, type, order): replays change nothing",
        None,
        (),
        frozenset({"stripe_event_id", "type", "order_id"}),
        STRIPE_EVENTS,
        Erasure.NOT_PERSONAL,
        _SALE,
    ),
    ItemSpec(
        "audit_record",
        "Audit table: an append-only record of an access to or change of personal data (ids only)",
        None,
        (
            _p("actor_id", Category.TECHNICAL, "who accessed"),
            _p("subject_ids", Category.TECHNICAL, "whose data were accessed"),
            _p("request_id", Category.TECHNICAL, "correlation"),
        ),
        frozenset({"audit_id", "at", "actor_role", "action", "item_types", "fields", "purpose", "count"}),
        AUDIT_TRAIL,
        Erasure.KEEP_LEGAL,
        _ACCOUNTABILITY,
        append_only=True,
        table="AuditTable",
    ),
    ItemSpec(
        "audit_subject",
        "Audit table: one subject of a record (finds the records by subject; no copy of the record)",
        "subject_id",
        (_p("subject_id", Category.TECHNICAL, "whose data were accessed"),),
        frozenset({"audit_id", "at", "action"}),
        AUDIT_TRAIL,
        Erasure.KEEP_LEGAL,
        _ACCOUNTABILITY,
        append_only=True,
        table="AuditTable",
    ),
    ItemSpec(
        "invoicing_seller",
        "The organiser's company as the seller on the tenant's invoices (a legal person: not personal)",
        None,
        (),
        frozenset({"seller", "updated_by"}),
        None,
        Erasure.NOT_PERSONAL,
        _CONFIG,
    ),
    ItemSpec(
        "invoice",
        "An issued invoice or credit note: never changed (append-only); erasure does not reach it. The "
        "buyer's copy here may be pseudonymised once the relationship's 5 years have passed (the "
        "stored PDF and Factur-X stay whole for the legal 10 years)",
        "registration_id",
        (_p("buyer", Category.PROFESSIONAL, "the buyer's name, address, VAT number and order reference"),),
        frozenset(
            {
                "invoice_id",
                "number",
                "kind",
                "order_id",
                "event_id",
                "registration_id",
                "year",
                "issued_at",
                "currency",
                "net_cents",
                "vat_cents",
                "gross_cents",
                "credited_invoice_id",
                "content",
            }
        ),
        ACCOUNTING_RECORDS,
        Erasure.KEEP_LEGAL,
        _INVOICING,
        append_only=True,
        pseudonymise_after=CONTRACTUAL,
        pseudonymised=("buyer",),
    ),
    ItemSpec(
        "invoice_sequence",
        "The last invoice number of a tenant's year (gapless numbering)",
        None,
        (),
        frozenset({"year", "last"}),
        ACCOUNTING_RECORDS,
        Erasure.NOT_PERSONAL,
        _INVOICING,
    ),
    ItemSpec(
        "invoice_issued_for",
        "Which document was issued for an order (or a refund): a second issue returns the first",
        None,
        (),
        frozenset({"invoice_id", "source"}),
        ACCOUNTING_RECORDS,
        Erasure.NOT_PERSONAL,
        _INVOICING,
    ),
    ItemSpec(
        "invoice_credits",
        "How much of an invoice its credit notes took (never more than the invoice)",
        None,
        (),
        frozenset({"invoice_id", "credited_cents"}),
        ACCOUNTING_RECORDS,
        Erasure.NOT_PERSONAL,
        _INVOICING,
    ),
    ItemSpec(
        "dsar_request",
        "A data-subject request the organiser's DPO submitted: kind, state, steps, stores with counts, "
        "certificate; the e-mail only while it runs (the person key stays, to answer the person later)",
        "person_key",
        (
            _p("email", Category.CONTACT, "find the person in the stores; removed when the request ends"),
            _p("person_key", Category.CONTACT, "keyed hash of the e-mail: the person's partition"),
            _p("note", Category.PROFESSIONAL, "the DPO's note on the request"),
            _p("locale", Category.PREFERENCES, "the language the archive's field labels come in first"),
            _p("corrections", Category.IDENTITY, "the rectification asked for; removed when it ends"),
            _p("requested_by", Category.TECHNICAL, "accountability: the DPO who submitted it"),
            _p("verified_by", Category.TECHNICAL, "accountability: the DPO who verified the identity"),
            _p("task_token", Category.TECHNICAL, "resumes the workflow once the identity is verified"),
        ),
        frozenset(
            {
                "dsar_id",
                "kind",
                "events",
                "status",
                "received_at",
                "due_at",
                "verification",
                "steps",
                "stores",
                "participations",
                "found_keys",
                "bystanders",
                "export_key",
                "certificate",
                "failure",
                "completed_at",
            }
        ),
        DSAR_RECORD,
        Erasure.KEEP_LEGAL,
        _ACCOUNTABILITY,
    ),
    ItemSpec(
        "dsar_running",
        "The one running data-subject request of a kind for a person (a second one is refused)",
        "person_key",
        (),
        frozenset({"dsar_id", "kind", "due_at"}),
        None,
        Erasure.NOT_PERSONAL,
        _ACCOUNTABILITY,
    ),
    ItemSpec(
        "person_tombstone",
        "A person erased at their request: the keyed hash of the e-mail stops a later registration "
        "or import from re-creating them without a fresh consent",
        "person_key",
        (_p("person_key", Category.CONTACT, "recognise the erased person's e-mail, never reveal it"),),
        frozenset({"dsar_id", "erased_at"}),
        DSAR_RECORD,
        Erasure.KEEP_LEGAL,
        "legal obligation (honour the erasure, GDPR art. 17 and 19)",
    ),
    ItemSpec(
        "held_registration",
        "A public registration naming the e-mail of a person erased at their request: the sheet and its "
        "participants as submitted, outside the organiser's list, until every erased person gives a "
        "fresh consent through the e-mail's link (then it is stored as submitted) or the wait expires",
        "registration_id",
        (
            _p("held_sheet", Category.PROFESSIONAL, "the company sheet, stored as submitted once consented"),
            _p("held_participants", Category.CONTACT, "the participants, e-mails included: consent e-mail"),
            _p("consents", Category.PREFERENCES, "when each erased participant consented afresh"),
        ),
        frozenset({"registration_id", "event_id", "awaiting", "consent_for", "due_at", "version"}),
        CONSENT_WAIT,
        Erasure.DELETE,
        _REGISTRATION,
    ),
    ItemSpec(
        "consent_request",
        "An erased participant of a held registration asked for a fresh consent: found by the SHA-256 of "
        "the e-mail link's token (ids only)",
        "participant_id",
        (),
        frozenset(
            {
                "registration_id",
                "participant_id",
                "event_id",
                "token_hash",
                "status",
                "due_at",
                "consented_at",
            }
        ),
        CONSENT_WAIT,
        Erasure.NOT_PERSONAL,
        _REGISTRATION,
    ),
    ItemSpec(
        "processing_flag",
        "A restriction or objection of a participant, in its registration's partition: the catalogue, "
        "suggestions and scheduling runs read it and leave the person out while it holds",
        "participant_id",
        (_p("kind", Category.PREFERENCES, "the person restricted processing, or objected to it"),),
        frozenset({"dsar_id", "flagged_at", "participant_id", "registration_id", "event_id"}),
        EVENT_DATA,
        Erasure.DELETE,
        "legal obligation (restriction and objection, GDPR art. 18 and 21)",
    ),
    ItemSpec(
        "event_retention",
        "An event's end, indexed for the daily retention sweep (all tenants; leaves the index once swept)",
        None,
        (),
        frozenset({"event_id", "ends_at", "swept_at"}),
        None,
        Erasure.NOT_PERSONAL,
        _CONFIG,
    ),
    ItemSpec(
        "contract_retention",
        "An order's contractual records (the order, its payments, refunds and invoices) indexed by when "
        "their personal attributes are due for pseudonymisation (all tenants; leaves the index once done)",
        None,
        (),
        frozenset({"order_id", "due_on", "pseudonymised_at"}),
        ACCOUNTING_RECORDS,
        Erasure.NOT_PERSONAL,
        _BOOKKEEPING,
    ),
    ItemSpec(
        "retention_report",
        "A retention sweep's report for a tenant: events swept, items removed per item type (counts)",
        None,
        (),
        frozenset({"sweep_id", "swept_at", "now", "events", "removed", "contractual"}),
        DSAR_RECORD,
        Erasure.NOT_PERSONAL,
        _ACCOUNTABILITY,
    ),
    ItemSpec(
        "tenant_export",
        "An organiser's export of the whole tenant (offboarding): state, counts per item type, the "
        "archive's key in the DSAR bucket",
        None,
        (_p("requested_by", Category.TECHNICAL, "accountability: the organiser who asked for it"),),
        frozenset({"export_id", "status", "requested_at", "completed_at", "counts", "export_key", "failure"}),
        DSAR_RECORD,
        Erasure.KEEP_LEGAL,
        _ACCOUNTABILITY,
    ),
    ItemSpec(
        "tenant_closure",
        "A tenant's closure (offboarding), outside the tenant's partitions so that it survives the "
        "deletion it records: state, steps, stores with counts before and after, the certificate "
        "(ids and counts only); the organiser's e-mail only until the certificate is sent to it",
        None,
        (
            _p("requested_by", Category.TECHNICAL, "accountability: the organiser who asked for it"),
            _p("notify_email", Category.CONTACT, "where the certificate goes; removed once it is sent"),
        ),
        frozenset(
            {
                "closure_id",
                "status",
                "requested_at",
                "due_at",
                "request_id",
                "export_id",
                "without_export",
                "steps",
                "stores",
                "events",
                "completed_at",
                "certificate",
                "certificate_sent_at",
                "failure",
            }
        ),
        DSAR_RECORD,
        Erasure.KEEP_LEGAL,
        _ACCOUNTABILITY,
    ),
    ItemSpec(
        "tenant_closure_lock",
        "The one closure of a tenant: a second request is refused (ids only)",
        None,
        (),
        frozenset({"closure_id"}),
        DSAR_RECORD,
        Erasure.NOT_PERSONAL,
        _ACCOUNTABILITY,
    ),
    ItemSpec(
        "outbox",
        "A domain event written with the change it announces, relayed to EventBridge from the stream",
        None,
        (_p("detail", Category.TECHNICAL, "ids of the tenant, event, registration, participants, actor"),),
        frozenset({"dedupe_id", "detail_type", "source"}),
        OUTBOX,
        Erasure.DELETE,
        "same as the change it announces",
    ),
)

REGISTRY: Mapping[str, ItemSpec] = {spec.item_type: spec for spec in _SPECS}


def spec_for(item_type: str) -> ItemSpec:
    spec = REGISTRY.get(item_type)
    if spec is None:
        raise UnregisteredItemType(f"item type {item_type!r} has no entry in the personal-data registry")
    return spec


def check_attributes(item_type: str, names: Iterable[str]) -> ItemSpec:
    spec = spec_for(item_type)
    undeclared = sorted(set(names) - spec.attributes)
    if undeclared:
        raise UnregisteredItemType(f"item type {item_type!r} writes undeclared attribute(s) {undeclared}")
    return spec


def check_item(item: Mapping[str, Any]) -> ItemSpec:
    """Raise ``UnregisteredItemType`` unless the item's type and every attribute are declared."""
    item_type = item.get("item_type")
    if not isinstance(item_type, str):
        raise UnregisteredItemType("item without an item_type")
    return check_attributes(item_type, item.keys())


def attribute_categories(item_type: str, form: FormShape) -> dict[str, Category]:
    """Category of each personal attribute of an item type, form answers one by one (``answers.<key>``)."""
    out: dict[str, Category] = {}
    for attribute in spec_for(item_type).personal:
        out[attribute.name] = attribute.category
        if attribute.form_level is not None:
            answers = answer_categories(form, attribute.form_level)
            out.update({f"{attribute.name}.{key}": category for key, category in answers.items()})
    return out


def personal_data_map() -> dict[str, dict[str, str]]:
    """item type -> personal attribute -> category (for documentation and DSAR)."""
    return {spec.item_type: {a.name: a.category.value for a in spec.personal} for spec in _SPECS}


def _after(anchor: datetime, retention: Retention) -> datetime:
    return anchor + timedelta(days=round(retention.months * 30.44) + retention.days)


def pseudonymise_on(item_type: str, relationship_end: datetime) -> datetime:
    """When a contractual record's personal attributes are due for pseudonymisation."""
    after = spec_for(item_type).pseudonymise_after
    if after is None:
        raise UnregisteredItemType(f"{item_type} items are never pseudonymised")
    return _after(relationship_end, after)


CONTRACTUAL_TYPES = tuple(spec.item_type for spec in _SPECS if spec.pseudonymise_after is not None)


def expires_at(item_type: str, anchor: datetime) -> int | None:
    """The TTL (epoch seconds) of an item whose retention anchor is ``anchor``; None if kept."""
    retention = spec_for(item_type).retention
    if retention is None:
        return None
    return int(_after(anchor, retention).timestamp())
