"""Every HTTP route of the API, declared once: method, path, the function serving it, who may call it,
its area (OpenAPI tag) and its documentation.

Everything else follows from this table or is tied to it by tests: the policy (``salon.kernel.policy``),
the template's HttpApi events (one per route, ``Auth: NONE`` exactly for public ones), each function's
dispatch table, the route x role table of docs/API.md and the OpenAPI document. A new function adds its
routes here (and its events to template.yaml; the tests say what is missing).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import KW_ONLY, dataclass
from functools import partial

from salon.kernel.principal import (
    ADMINISTER_ACCOUNTS,
    AUDIT,
    CONFIGURE,
    DATA_SUBJECT_REQUESTS,
    READ_CATALOGUE,
    READ_CONFIG,
    REBUILD_CATALOGUE,
    REVIEW,
    ROLES,
    SELF,
    SELF_OR_ON_BEHALF,
)

REGISTER = "RegisterFunction"  # the public registration flow and /me
CONFIGURATION = "ConfigurationFunction"  # organisers set events up
REGISTRATION_REVIEW = "ReviewFunction"  # staff review registrations and read the audit trail
DOCS = "DocsFunction"
MATCHMAKING = "MatchmakingFunction"
SEARCH = "SearchFunction"
SCHEDULING = "SchedulingFunction"
CALENDAR_FEED = "CalendarFeedFunction"
INVOICES = "InvoicesFunction"
DSAR = "DsarFunction"
TENANT_CLOSURE = "TenantClosureFunction"
CHECKOUT = "CheckoutFunction"
STRIPE_WEBHOOK = "StripeWebhookFunction"
NOTIFY_API = "NotifyApiFunction"

_PARAMETER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    _: KW_ONLY
    function: str  # logical id of the function serving it in template.yaml
    tag: str
    summary: str
    description: str
    roles: frozenset[str] = frozenset()  # who may call it; empty only for public routes
    public: bool = False  # no token needed (the gateway's authorizer is off; a token is ignored)
    idempotent: bool = False  # honours an Idempotency-Key header
    conflicts: str = ""  # when the route answers 409 for a reason of its own
    unavailable: str = ""  # when a dependency failing after a write answers 503

    def __post_init__(self) -> None:
        if self.public == bool(self.roles):
            raise ValueError(f"{self.key}: a route is either public or allowed to some roles")
        if not self.roles <= set(ROLES):
            raise ValueError(f"{self.key}: unknown roles {sorted(self.roles - set(ROLES))}")

    @property
    def key(self) -> str:
        """API Gateway's route key, e.g. ``GET /events/{event_id}``."""
        return f"{self.method} {self.path}"

    @property
    def path_parameters(self) -> tuple[str, ...]:
        return tuple(_PARAMETER.findall(self.path))


_register = partial(Route, function=REGISTER)
_configuration = partial(Route, function=CONFIGURATION)
_review = partial(Route, function=REGISTRATION_REVIEW)
_docs = partial(Route, function=DOCS)
_matchmaking = partial(Route, function=MATCHMAKING)
_search = partial(Route, function=SEARCH)
_scheduling = partial(Route, function=SCHEDULING)
_calendar_feed = partial(Route, function=CALENDAR_FEED)
_checkout = partial(Route, function=CHECKOUT)


EVENTS, FORMS, REGISTRATIONS, ME, AUDIT_TRAIL, SERVICE, MEETING_REQUESTS, CATALOGUE = (
    "Events",
    "Forms and types",
    "Registrations",
    "Me",
    "Audit",
    "Service",
    "Meeting requests",
    "Catalogue",
)
_CATALOGUE_ACCESS = (
    " Participants: validated in the event, once `key_dates.catalogue_opens_at` has passed (409 "
    "before), only the types their own type may see; organisers and staff see every type (audited)."
)
SCHEDULE = "Scheduling"

ROUTES: tuple[Route, ...] = (
    # ---------------------------------------------------------------- service
    _register(
        "GET",
        "/health",
        tag=SERVICE,
        summary="Health check",
        description="Answers while the API is up.",
        public=True,
    ),
    _docs(
        "GET",
        "/openapi.json",
        tag=SERVICE,
        summary="OpenAPI document",
        description="This document: every route of the API, its models and the problems it can answer.",
        public=True,
    ),
    _docs(
        "GET",
        "/docs",
        tag=SERVICE,
        summary="Swagger UI",
        description="A page to browse and try the API; `Authorize` takes a Cognito ID token.",
        public=True,
    ),
    # ---------------------------------------------------------------- events
    _configuration(
        "POST",
        "/events",
        tag=EVENTS,
        summary="Create an event",
        description="An event of the caller's tenant (`draft` by default); its key dates must be in order.",
        roles=CONFIGURE,
        idempotent=True,
    ),
    _configuration(
        "GET",
        "/events",
        tag=EVENTS,
        summary="List events",
        description="The tenant's events, by start date, one page at a time.",
        roles=READ_CONFIG,
    ),
    _configuration(
        "GET",
        "/events/{event_id}",
        tag=EVENTS,
        summary="Read an event",
        description="One event of the caller's tenant.",
        roles=READ_CONFIG,
    ),
    _configuration(
        "PATCH",
        "/events/{event_id}",
        tag=EVENTS,
        summary="Change an event",
        description="Any subset of the creation fields; `key_dates` is merged key by key (`null` clears "
        'one). Publishing is `{"status": "published"}`.',
        roles=CONFIGURE,
    ),
    # ---------------------------------------------------------------- forms, taxonomy, types
    _configuration(
        "PUT",
        "/events/{event_id}/form",
        tag=FORMS,
        summary="Replace the registration form",
        description="The event's form fields (company or participant level, with show-if rules).",
        roles=CONFIGURE,
    ),
    _register(
        "GET",
        "/events/{event_id}/form",
        tag=FORMS,
        summary="Read the registration form",
        description="The form and the participation types open for registration; drafts are readable.",
        public=True,
    ),
    _configuration(
        "POST",
        "/events/{event_id}/types",
        tag=FORMS,
        summary="Create a participation type",
        description="A participation type (buyer, supplier...) and whom its participants see and request.",
        roles=CONFIGURE,
        idempotent=True,
        conflicts="the code is already used in this event",
    ),
    _configuration(
        "GET",
        "/events/{event_id}/types",
        tag=FORMS,
        summary="List participation types",
        description="The event's participation types, by code.",
        roles=READ_CONFIG,
    ),
    _configuration(
        "PUT",
        "/events/{event_id}/taxonomy",
        tag=FORMS,
        summary="Replace the taxonomy",
        description="The sector tree (three levels at most) that forms and profiles refer to.",
        roles=CONFIGURE,
    ),
    _register(
        "GET",
        "/events/{event_id}/taxonomy",
        tag=FORMS,
        summary="Read the taxonomy",
        description="The event's sector tree. Drafts are readable (preview).",
        public=True,
    ),
    # ---------------------------------------------------------------- registrations
    _register(
        "POST",
        "/events/{event_id}/registrations",
        tag=REGISTRATIONS,
        summary="Register a company",
        description="A company and its participants, while registration is open; each participant gets an "
        "account. The response echoes no personal data. A participant whose e-mail belongs to a person "
        "erased at their request is e-mailed a link to consent afresh (`POST /consents/{token}`): until "
        "then the registration is held out of the organiser's list, and the answer is the same.",
        public=True,
        idempotent=True,
        conflicts="an e-mail is already registered in the event, or registration is closed",
        unavailable="the identity provider failed after the registration was stored",
    ),
    _review(
        "GET",
        "/events/{event_id}/registrations",
        tag=REGISTRATIONS,
        summary="List registrations (audited)",
        description="Filter by state, type or text (company, names, e-mails); `requalification=overdue` "
        "keeps the companies with a participant who did not confirm their data in time (each "
        "registration counts them, each participant carries `requalification_overdue_at`). Every call "
        "is audited.",
        roles=REVIEW,
    ),
    _review(
        "GET",
        "/registrations/{registration_id}",
        tag=REGISTRATIONS,
        summary="Read a registration (audited)",
        description="The registration with its company and participants. Every call is audited.",
        roles=REVIEW,
    ),
    _review(
        "POST",
        "/registrations/{registration_id}/decision",
        tag=REGISTRATIONS,
        summary="Validate or refuse a registration (audited)",
        description="Only submitted registrations can be decided; refusing needs a reason.",
        roles=REVIEW,
        idempotent=True,
        conflicts="the registration is not in the `submitted` state",
        unavailable="the decision is stored but could not be announced",
    ),
    _review(
        "POST",
        "/registrations/{registration_id}/participants/{participant_id}/deactivate",
        tag=REGISTRATIONS,
        summary="Deactivate a participant's account (audited)",
        description="Disables the participant's account. Repeating it changes nothing.",
        roles=ADMINISTER_ACCOUNTS,
        idempotent=True,
        unavailable="the identity provider could not disable the account",
    ),
    # ---------------------------------------------------------------- me
    _register(
        "GET",
        "/me",
        tag=ME,
        summary="Read my data",
        description="Every participation of the caller.",
        roles=SELF,
    ),
    _register(
        "PATCH",
        "/me",
        tag=ME,
        summary="Rectify my data",
        description="Applies to every participation of the caller and confirms the data "
        "(`last_verified_at`), "
        "even for `{}`. The e-mail is the login and cannot change here.",
        roles=SELF,
    ),
    _register(
        "PUT",
        "/me/profile",
        tag=ME,
        summary="Replace my matchmaking profile",
        description="Needs, offers (taxonomy codes of the event) and a description per locale.",
        roles=SELF,
    ),
    _register(
        "POST",
        "/me/requalify",
        tag=ME,
        summary="Confirm my data is still right",
        description="The twice-yearly re-qualification: confirms the data of every participation of "
        "the caller (`last_verified_at`), settles a pending request and clears the organiser's "
        "`overdue` flag. Correcting the data with `PATCH /me` does the same.",
        roles=SELF,
    ),
    _register(
        "POST",
        "/requalify/{token}",
        tag=ME,
        summary="Confirm my data from the e-mail's link",
        description="The link of a re-qualification e-mail confirms that participation's data, without "
        "signing in, until the request's due date (`REQUALIFICATION_DELAY_DAYS` after it was sent); "
        "confirming again answers the same. 404 for an expired link or one that is not Salon's: "
        "signing in and `POST /me/requalify` still work.",
        public=True,
    ),
    _register(
        "POST",
        "/consents/{token}",
        tag=REGISTRATIONS,
        summary="Consent afresh to a registration from the e-mail's link",
        description="A person erased at their request, named again by a registration, consents to it "
        "from the link of the e-mail they received, until its due date (7 days). The last consent the "
        "registration waits for lifts the erasure's tombstones (audited), records the consents and "
        "stores the registration as submitted, in one transaction; `state: awaiting_consent` while "
        "another erased participant of the same sheet has not consented. Confirming again answers the "
        "same; 404 for an expired link or one that is not Salon's (the registration is then never "
        "stored).",
        public=True,
        conflicts="the registration crossed another change (an e-mail registered or erased meanwhile)",
    ),
    # ---------------------------------------------------------------- meeting requests
    _matchmaking(
        "POST",
        "/events/{event_id}/meeting-requests",
        tag=MEETING_REQUESTS,
        summary="Request a meeting",
        description="A participant asks another company of the event for a meeting. If that company "
        "already asked the caller's, this approves its request instead (`resolution: approved_theirs`, "
        "`mutual: true`). Organisers and staff send for a company with `on_behalf_of_registration_id` "
        "(audited).",
        roles=SELF_OR_ON_BEHALF,
        idempotent=True,
        conflicts="the requests deadline has passed or the catalogue is not open (`window-closed`), or "
        "a live request already joins the two companies (`duplicate-request`)",
    ),
    _matchmaking(
        "GET",
        "/me/meeting-requests",
        tag=MEETING_REQUESTS,
        summary="List my meeting requests",
        description="The requests my company sent or received, by state, newest first; `event_id` may "
        "be left out by a participant of a single event. Approved ones carry their scheduling weight.",
        roles=SELF,
    ),
    _matchmaking(
        "POST",
        "/meeting-requests/{request_id}/answer",
        tag=MEETING_REQUESTS,
        summary="Approve or refuse a meeting request",
        description="The receiving company answers (a refusal may give a reason). Organisers and staff "
        "answer on its behalf (audited), naming the participant with `on_behalf_of_participant_id`.",
        roles=SELF_OR_ON_BEHALF,
        idempotent=True,
        conflicts="the request is no longer `sent`, or the answers deadline has passed",
    ),
    _matchmaking(
        "POST",
        "/meeting-requests/{request_id}/cancel",
        tag=MEETING_REQUESTS,
        summary="Cancel a meeting request",
        description="The sending company withdraws a request not yet answered.",
        roles=SELF,
        idempotent=True,
        conflicts="the request is no longer `sent`, or the answers deadline has passed",
    ),
    _matchmaking(
        "GET",
        "/events/{event_id}/meeting-requests",
        tag=MEETING_REQUESTS,
        summary="List or export an event's meeting requests (audited)",
        description="Every request of the event, filtered, with its scheduling weight. `Accept: text/csv` "
        "exports CSV (UTF-8 with BOM; `separator=;` for Excel in French), `Accept: application/"
        "vnd.openxmlformats-officedocument.spreadsheetml.sheet` XLSX. Every call is audited.",
        roles=REVIEW,
    ),
    _matchmaking(
        "GET",
        "/events/{event_id}/matchmaking",
        tag=MEETING_REQUESTS,
        summary="Read the meeting-request caps",
        description="The caps per participation type and their `version` (to send back when replacing).",
        roles=READ_CONFIG,
    ),
    _matchmaking(
        "PUT",
        "/events/{event_id}/matchmaking",
        tag=MEETING_REQUESTS,
        summary="Replace the meeting-request caps",
        description="Per participation type: `max_requests_sent` and `max_priority_one` (live requests). "
        "Written over the `version` read (0 when there were none).",
        roles=CONFIGURE,
        conflicts="the caps changed since the `version` sent",
    ),
    _matchmaking(
        "PUT",
        "/events/{event_id}/pairs/{registration_id}/{other_registration_id}/boost",
        tag=MEETING_REQUESTS,
        summary="Boost a pair of companies",
        description="Raises the scheduling weight of the pair's approved request (sponsors): 0 to 30.",
        roles=CONFIGURE,
    ),
    # ---------------------------------------------------------------- catalogue
    _search(
        "GET",
        "/events/{event_id}/catalogue",
        tag=CATALOGUE,
        summary="Search the catalogue",
        description="The event's validated companies: text `q` (French or English, stemmed, accents "
        "folded, a partial company name), filters `type`, `sector` (any level), `country`, `size`, "
        "`requested` (`false`: not yet requested by me), facet counts and a cursor. Labels in the "
        "caller's locale (Accept-Language, else the participant's)." + _CATALOGUE_ACCESS,
        roles=READ_CATALOGUE,
        conflicts="the catalogue is not open yet (participants)",
    ),
    _search(
        "GET",
        "/events/{event_id}/catalogue/{registration_id}",
        tag=CATALOGUE,
        summary="Read a company of the catalogue",
        description="One company's card; 404 when it is not listed or hidden from the caller's type."
        + _CATALOGUE_ACCESS,
        roles=READ_CATALOGUE,
        conflicts="the catalogue is not open yet (participants)",
    ),
    _search(
        "GET",
        "/events/{event_id}/suggestions",
        tag=CATALOGUE,
        summary="Companies suggested for me",
        description="Companies whose offers meet my needs and whose needs meet my offers (taxonomy "
        "overlap weighted by level), then by text similarity, each with its reasons in my locale.",
        roles=SELF,
        conflicts="the catalogue is not open yet",
    ),
    _search(
        "POST",
        "/events/{event_id}/catalogue/rebuild",
        tag=CATALOGUE,
        summary="Rebuild the event's catalogue index",
        description="Replaces the event's cards in the search index by those built from the stored "
        "registrations (after a taxonomy change, or to repair the index). Repeating it changes nothing.",
        roles=REBUILD_CATALOGUE,
        idempotent=True,
    ),
    # ---------------------------------------------------------------- audit
    _review(
        "GET",
        "/audit",
        tag=AUDIT_TRAIL,
        summary="Read the audit trail",
        description="Who read or changed personal data, by subject or by actor, newest first.",
        roles=AUDIT,
    ),
)

SCHEDULING_ROUTES: tuple[Route, ...] = (
    _scheduling(
        "PUT",
        "/events/{event_id}/grid",
        tag=SCHEDULE,
        summary="Replace the meeting grid",
        description="Days, opening hours (event time zone), slot length, pauses, tables, sessions, quotas "
        "per participation type and mass unavailability; over the `version` read (0 at first).",
        roles=CONFIGURE,
        conflicts="the grid changed since the version given",
    ),
    _scheduling(
        "GET",
        "/events/{event_id}/grid",
        tag=SCHEDULE,
        summary="Read the meeting grid",
        description="The grid and its version (`grid` is null and `version` 0 before the first one).",
        roles=READ_CONFIG,
    ),
    _scheduling(
        "PUT",
        "/me/unavailability",
        tag=ME,
        summary="Replace my unavailability",
        description="Time ranges of an event (local times in its time zone, or with an offset) when "
        "the caller cannot meet. `event_id` is needed when taking part in several events.",
        roles=SELF,
    ),
    _scheduling(
        "POST",
        "/events/{event_id}/schedule-runs",
        tag=SCHEDULE,
        summary="Start a scheduling run",
        description="Snapshots the grid, approved requests and availability, solves and checks the "
        "schedule in a state machine; answers 202 at once. Nothing participants see changes.",
        roles=CONFIGURE,
        conflicts="another run of the event is active",
    ),
    _scheduling(
        "GET",
        "/schedule-runs/{run_id}",
        tag=SCHEDULE,
        summary="Read a scheduling run",
        description="Status, stage statuses and, once ready, its statistics (placed / requested, bound, "
        "gap, unscheduled requests with reasons, breaks per participant, share placed per type). While "
        "`publishing`, the progress counts agendas done / total; a failed publish leaves the run `ready` "
        "with `publish_error`.",
        roles=READ_CONFIG,
    ),
    _scheduling(
        "POST",
        "/schedule-runs/{run_id}/cancel",
        tag=SCHEDULE,
        summary="Cancel a scheduling run",
        description="Stops the run's state machine and marks it cancelled.",
        roles=CONFIGURE,
        conflicts="the run has ended",
    ),
    _scheduling(
        "POST",
        "/schedule-runs/{run_id}/publish",
        tag=SCHEDULE,
        summary="Publish a ready scheduling run",
        description='Answers 202 at once with `{run_id, status: "publishing"}`; the publish state '
        "machine then writes the run's meetings and one new agenda version per participant whose "
        "agenda changes (one transaction each, with an `agenda.changed` event carrying the diff); "
        "meetings of the previous schedule the run drops are cancelled. Poll the run until `published` "
        "(or `ready` with `publish_error`). Resumable: publishing again after a failure continues "
        "where it stopped.",
        roles=CONFIGURE,
        conflicts="the run is not ready (still running, failed, cancelled, publishing or published "
        "already: a second publish while one runs is refused, not merged), or the grid changed since "
        "the run",
    ),
    _scheduling(
        "GET",
        "/me/agenda",
        tag=ME,
        summary="Read my agenda",
        description="My published meetings (times in the event's time zone, table, the other company "
        "and its attending participants), the grid's pauses, the agenda version, and my company's "
        "approved requests left out with a reason in my locale. `event_id` is needed when taking "
        "part in several events.",
        roles=SELF,
    ),
    _scheduling(
        "PATCH",
        "/meetings/{meeting_id}",
        tag=SCHEDULE,
        summary="Move, lock or cancel a meeting",
        description="`slot` (the start of a grid slot) and / or `table` move it; `locked` (`none`, `slot`, "
        "`slot_and_table`) pins it for later runs; `cancel: true` cancels it. A move is checked against "
        "the grid, the table (seats, closed, reserved), everyone's unavailability (own, company, "
        "organiser's blocks, conferences) -> 422, and double booking and quotas -> 409, each naming the "
        "clash. Writes the next agenda version of each participant with `agenda.changed`, audited.",
        roles=CONFIGURE,
        conflicts="the meeting is cancelled, clashes with another meeting or a quota, or changed meanwhile",
    ),
    _scheduling(
        "POST",
        "/events/{event_id}/meetings",
        tag=SCHEDULE,
        summary="Create a meeting by hand",
        description="For an approved request (`request_id`) or two companies (`registration_ids`, with "
        "`participant_ids`), at `slot` and `table`, optionally `locked`; checked like a move. Later runs "
        "keep it (the heaviest meeting of the problem) unless it became impossible.",
        roles=CONFIGURE,
        conflicts="the request has a meeting already, or the meeting clashes with another or a quota",
    ),
    _scheduling(
        "POST",
        "/me/meetings/{meeting_id}/cancel",
        tag=ME,
        summary="Cancel one of my meetings",
        description="Until the event's cut-off (`cancel_cutoff_hours` of the grid, 24 by default) before "
        "the meeting starts; every participant's agenda gets a new version with `agenda.changed`.",
        roles=SELF,
        conflicts="past the cut-off, or the meeting is cancelled already",
    ),
    _scheduling(
        "GET",
        "/me/agenda.pdf",
        tag=ME,
        summary="Print my agenda",
        description="My published agenda as a PDF in my locale (fr or en): the event, my company, one "
        "heading per day, each meeting's time, table, other company and attendees, and the pauses. "
        "`event_id` is needed when taking part in several events.",
        roles=SELF,
    ),
    _scheduling(
        "GET",
        "/me/calendar-url",
        tag=ME,
        summary="My calendar feed's address",
        description="A secret address calendar apps subscribe to without a token (RFC 5545: one event "
        "per meeting, cancelled ones kept as cancelled). The same address until revoked; asking after "
        "revoking gives a new one. `event_id` is needed when taking part in several events.",
        roles=SELF,
    ),
    _scheduling(
        "DELETE",
        "/me/calendar-url",
        tag=ME,
        summary="Revoke my calendar feed's address",
        description="The address stops working at once (404). Revoking when there is none changes nothing.",
        roles=SELF,
    ),
    _scheduling(
        "GET",
        "/events/{event_id}/meetings",
        tag=SCHEDULE,
        summary="List published meetings (audited)",
        description="The event's meetings in time order, with both companies and their attendees; "
        "filters by participant, company (`registration_id`), table, slot (`starts_at`), day and "
        "status. `Accept: text/csv` or the XLSX media type exports every matching meeting. Audited.",
        roles=REVIEW,
    ),
    _scheduling(
        "GET",
        "/events/{event_id}/table-sheets.pdf",
        tag=SCHEDULE,
        summary="Print the table sheets (audited)",
        description="One page per table (or only `table`) listing its meetings by slot with both "
        "companies and their attendees, for the hosts at the venue; in `locale`. Audited.",
        roles=REVIEW,
    ),
    _calendar_feed(
        "GET",
        "/calendar/{token}/agenda.ics",
        tag=ME,
        summary="A participant's calendar feed",
        description="`text/calendar` (RFC 5545) for calendar apps: the event's time zone, one event per "
        "meeting with a stable UID, SEQUENCE growing with each change, the other company as summary, "
        "the table as location; cancelled meetings stay, cancelled. 404 once the address is revoked.",
        public=True,
    ),
)

_invoices = partial(Route, function=INVOICES)
INVOICING = "Invoicing"

INVOICING_ROUTES: tuple[Route, ...] = (
    _invoices(
        "PUT",
        "/tenant/seller",
        tag=INVOICING,
        summary="Set the seller details",
        description="The organiser's company as its invoices name it: legal name and form, address, "
        "SIREN and SIRET, VAT number (format and checksum checked), RCS, IBAN, invoice number prefix, "
        "late-payment penalty rate and payment terms. Invoices already issued keep theirs.",
        roles=CONFIGURE,
    ),
    _invoices(
        "GET",
        "/tenant/seller",
        tag=INVOICING,
        summary="Read the seller details",
        description="The seller details new invoices will carry (404 before they are set).",
        roles=READ_CONFIG,
    ),
    _invoices(
        "GET",
        "/me/invoices",
        tag=ME,
        summary="List my invoices",
        description="The invoices and credit notes of the caller's companies, by number: ids, order, "
        "number, kind (`invoice`, `deposit_invoice` or `credit_note`), issue date and totals.",
        roles=SELF,
    ),
    _invoices(
        "GET",
        "/invoices/{invoice_id}/document",
        tag=INVOICING,
        summary="Download an invoice document",
        description="A presigned URL, valid 5 minutes, to the invoice's or credit note's PDF "
        "(`format=pdf`, in the buyer's language) or Factur-X (`format=facturx`: PDF/A-3 with its "
        "EN 16931 CII XML). Participants: their companies' own; organisers and staff: the tenant's "
        "(audited).",
        roles=SELF | REVIEW,
    ),
    _invoices(
        "GET",
        "/events/{event_id}/invoices",
        tag=INVOICING,
        summary="List or export an event's invoices",
        description="The event's invoices and credit notes by number (`format=json`), or its "
        "accounting journal (`format=csv` or `xlsx`): one row per document and VAT rate, credit notes "
        "negative. Audited.",
        roles=REVIEW,
    ),
)


_dsar = partial(Route, function=DSAR, tag="Data-subject requests", roles=DATA_SUBJECT_REQUESTS)

DSAR_ROUTES: tuple[Route, ...] = (
    _dsar(
        "POST",
        "/dsar",
        summary="Submit a data-subject request",
        description="Access, portability, erasure, restriction, objection or rectification for one "
        "person (by e-mail) of the DPO's tenant, optionally limited to some events. Starts a workflow "
        "that first waits for the DPO's identity check (`POST /dsar/{dsar_id}/verify`). Due one month "
        "after receipt; an erasure within 10 days.",
        conflicts="a request of the same kind for the same person is still running",
    ),
    _dsar(
        "POST",
        "/dsar/{dsar_id}/verify",
        summary="Verify (or reject) the requester's identity",
        description="Resumes the request's workflow: find the person in every store of the registry, "
        "act, check the outcome (an erasure leaves no residue, nobody else's data changes), certify. "
        "`verified: false` with a `reason` rejects the request.",
        conflicts="the request is not awaiting verification",
    ),
    _dsar(
        "GET",
        "/dsar/{dsar_id}",
        summary="Read a data-subject request",
        description="Status, steps, each store with its counts before and after, the archive's "
        "presigned URL (access, portability) and the certificate (JSON, and a presigned PDF).",
    ),
    _dsar(
        "GET",
        "/dsar",
        summary="List data-subject requests",
        description="Newest first; `status` and `overdue=true` (close to or past their due date) filter.",
    ),
    _dsar(
        "POST",
        "/tombstones/lift",
        summary="Lift an erasure's tombstone",
        description="The person, erased at their request, may be registered again without the "
        "e-mailed fresh consent (`POST /consents/{token}`): for a consent the DPO holds otherwise. "
        "Audited (`tombstone.lift`, subject: the erasure's request id). 404 when no erasure of the "
        "e-mail stands in the tenant. Organisers cannot lift a tombstone.",
    ),
    _dsar(
        "GET",
        "/retention-reports",
        summary="List the retention sweeps' reports",
        description="Newest first: each daily sweep that removed data of the tenant, the events swept "
        "(ended 36 months ago) and the items removed per item type.",
    ),
)

_offboarding = partial(Route, function=DSAR, tag="Tenant offboarding", roles=CONFIGURE)

OFFBOARDING_ROUTES: tuple[Route, ...] = (
    _offboarding(
        "POST",
        "/tenant/export",
        summary="Export the whole tenant",
        description="Starts the export of all the data of the organiser's tenant (202): one archive "
        "with a JSON document and a CSV file per item type (the audit trail and the login accounts "
        "included) and the invoice and schedule documents, kept 7 days.",
        conflicts="the tenant is being closed",
    ),
    _offboarding(
        "GET",
        "/tenant/exports/{export_id}",
        summary="Read a tenant export",
        description="`running`, `completed` (the counts per item type and the archive's presigned "
        "URL) or `failed`.",
    ),
    _offboarding(
        "POST",
        "/tenant/close",
        function=TENANT_CLOSURE,
        summary="Close the tenant",
        description="Deletes everything of the organiser's tenant within 10 days (202 with `due_at`): "
        "`confirm` must be the tenant id; a completed export of the last 7 days is required unless "
        "`without_export` is true. A state machine inventories every store, deletes, verifies that "
        "nothing is left and certifies. Audited.",
        conflicts="a tenant export is running, no recent export (and no `without_export`), or the tenant "
        "is already being closed",
    ),
    _offboarding(
        "GET",
        "/tenant/closures/{closure_id}",
        function=TENANT_CLOSURE,
        summary="Read a tenant closure",
        description="`running` (the steps' progress and the inventory's counts per store), `completed` "
        "(the certificate: counts before and after per store) or `failed` (why).",
    ),
)

SALES, ORDERS = "Products and promo codes", "Orders and payments"
CHECKOUT_ROUTES: tuple[Route, ...] = (
    _checkout(
        "POST",
        "/events/{event_id}/products",
        tag=SALES,
        summary="Create a product",
        description="A package (sold to one participation type: participants and meeting quota "
        "included) or an option, its price (excluding or including VAT per the event's `vat_mode`), VAT "
        "rate, optional stock, sale window, maximum per company and localized name and description.",
        roles=CONFIGURE,
    ),
    _checkout(
        "GET",
        "/events/{event_id}/products",
        tag=SALES,
        summary="List the event's products",
        description="Organisers and staff see every product; a participant those visible to their "
        "company's participation type. `sold` counts the units held by pending and paid orders.",
        roles=READ_CATALOGUE,
    ),
    _checkout(
        "POST",
        "/events/{event_id}/promo-codes",
        tag=SALES,
        summary="Create a promo code",
        description="A percentage or an amount off some products (all when `product_ids` is empty), "
        "valid between two instants, at most `max_uses` orders (never exceeded, even concurrently).",
        roles=CONFIGURE,
        conflicts="the code exists already",
    ),
    _checkout(
        "POST",
        "/events/{event_id}/orders",
        tag=ORDERS,
        summary="Place an order",
        description="A participant orders for their validated company. Stock, the per-company maximum "
        "and the promo code's uses are held at once, and given back if the order is cancelled or "
        "expires unpaid (card: 30 minutes; transfer, cheque, purchase order: the configured days, also "
        "its due date). Card: the answer carries the PaymentIntent's `client_secret` for the client to "
        "confirm; the order becomes `paid` only from Stripe's webhook. `payment_schedule: deposit` "
        "(when the event's `deposit` terms allow it) splits it in a deposit (the PaymentIntent's "
        "amount; `partially_paid` once in, no longer expiring) and a balance due before the event.",
        roles=SELF,
        idempotent=True,
        conflicts="sold out, a product off sale, or the registration is not validated",
        unavailable="Stripe could not prepare the card payment (the order is cancelled)",
    ),
    _checkout(
        "GET",
        "/orders/{order_id}",
        tag=ORDERS,
        summary="Read an order",
        description="Its lines, totals per VAT rate, state and amounts paid and refunded. A participant "
        "reads their company's orders; organisers and staff any.",
        roles=SELF_OR_ON_BEHALF,
    ),
    _checkout(
        "POST",
        "/orders/{order_id}/cancel",
        tag=ORDERS,
        summary="Cancel a pending order",
        description="Gives its units and promo use back (a card PaymentIntent is cancelled first).",
        roles=SELF_OR_ON_BEHALF,
        idempotent=True,
        conflicts="the order is not pending, or its card payment went through",
    ),
    _checkout(
        "GET",
        "/me/orders",
        tag=ME,
        summary="List my company's orders",
        description="Newest first; `event_id` is needed when taking part in several events.",
        roles=SELF,
    ),
    _checkout(
        "POST",
        "/orders/{order_id}/instalments/balance/pay",
        tag=ORDERS,
        summary="Pay an order's balance by card",
        description="For a card order paid in two instalments whose deposit is in (`partially_paid`): "
        "the balance's PaymentIntent (the same one when asked again), its `client_secret` for the "
        "client to confirm. The order becomes `paid` only from Stripe's webhook.",
        roles=SELF_OR_ON_BEHALF,
        idempotent=True,
        conflicts="the order is paid in one go, offline, or not partially paid",
        unavailable="Stripe could not prepare the card payment",
    ),
    _checkout(
        "POST",
        "/orders/{order_id}/payments",
        tag=ORDERS,
        summary="Record an offline payment",
        description="The organiser records a transfer, cheque or purchase-order payment (amount, date, "
        "reference); partial payments add up and the order is `paid` when they reach its total "
        "(`partially_paid` once they cover its deposit).",
        roles=CONFIGURE,
        idempotent=True,
        conflicts="the order is paid by card, or is neither pending nor partially paid",
    ),
    _checkout(
        "POST",
        "/orders/{order_id}/refunds",
        tag=ORDERS,
        summary="Refund an order",
        description="By card through Stripe, otherwise recorded; the whole amount left when "
        "`amount_cents` is left out. A full refund ends the order `refunded` and gives its units and "
        "meetings back. Each refund is credited on the order's invoice.",
        roles=CONFIGURE,
        idempotent=True,
        conflicts="the order is neither paid nor partially paid",
        unavailable="Stripe refused or could not be reached",
    ),
    Route(
        "POST",
        "/payments/stripe/webhook",
        function=STRIPE_WEBHOOK,
        tag=ORDERS,
        summary="Stripe webhook",
        description="Stripe's events, signed (`Stripe-Signature`, checked on the raw body with a 300 s "
        "tolerance). Each event is processed once; other accounts' events and events of objects not "
        "Salon's are acknowledged and ignored. 400 when the signature does not hold.",
        public=True,
    ),
)

ROUTES = ROUTES + SCHEDULING_ROUTES + INVOICING_ROUTES + DSAR_ROUTES + OFFBOARDING_ROUTES + CHECKOUT_ROUTES


# ---------------------------------------------------------------- notifications
_notify = partial(Route, function=NOTIFY_API)
NOTIFICATIONS = "Notifications"
NOTIFY_ROUTES: tuple[Route, ...] = (
    _notify(
        "POST",
        "/me/phone",
        tag=ME,
        summary="Register my mobile for SMS",
        description="Sends a 6-digit code by SMS to the number (E.164, or French national format); "
        "the number receives agenda-change SMS once verified. `event_id` is needed when taking part "
        "in several events.",
        roles=SELF,
        conflicts="the number replied STOP to this organiser",
    ),
    _notify(
        "POST",
        "/me/phone/verify",
        tag=ME,
        summary="Verify my mobile",
        description="Checks the code sent by `POST /me/phone` (5 tries, then ask for a new code).",
        roles=SELF,
        conflicts="too many wrong codes",
    ),
    _notify(
        "GET",
        "/events/{event_id}/deliveries",
        tag=NOTIFICATIONS,
        summary="What a participant was sent",
        description="The participant's delivery log in the event (kind, channel, status, when, why "
        "nothing was sent; never a body or an address) and whether their address or number is "
        "suppressed (hard bounce, complaint, unsubscribe, STOP). Audited.",
        roles=REVIEW,
    ),
    _notify(
        "POST",
        "/events/{event_id}/mailings",
        tag=NOTIFICATIONS,
        summary="Write a mailing",
        description="`{subject: {fr, en}, body: {fr, en}, audience: {types, states}}`: texts in Jinja2 "
        "syntax with the placeholders first_name, last_name, company, event_name, sign_in_link, "
        "agenda_link. A text that is not a valid template, an unknown placeholder or an empty "
        "audience answers 422 (with the field); nothing is sent yet.",
        roles=CONFIGURE,
    ),
    _notify(
        "POST",
        "/mailings/{mailing_id}/preview",
        tag=NOTIFICATIONS,
        summary="Preview a mailing for one recipient",
        description="Subject, text and HTML as the recipient (`participant_id`, or the first of the "
        "audience) would read them; nothing is sent.",
        roles=CONFIGURE,
    ),
    _notify(
        "POST",
        "/mailings/{mailing_id}/test",
        tag=NOTIFICATIONS,
        summary="Send a mailing to myself",
        description="The mailing as one recipient (`participant_id`, or the first of the audience) "
        "would read it, sent to the calling organiser's own address with a [TEST] subject; nobody "
        "else receives anything and nothing is counted.",
        roles=CONFIGURE,
    ),
    _notify(
        "POST",
        "/mailings/{mailing_id}/send",
        tag=NOTIFICATIONS,
        summary="Send a mailing",
        description="Queues one message per recipient to the notify consumer (202), which sends each "
        "at most once; a send that stopped half-way continues where it stopped when called again. "
        "Every mailing carries a signed one-click unsubscribe (RFC 8058).",
        roles=CONFIGURE,
    ),
    _notify(
        "GET",
        "/mailings/{mailing_id}",
        tag=NOTIFICATIONS,
        summary="Read a mailing's progress",
        description="Status and counts: recipients, queued, sent, delivered, bounced, complained, "
        "suppressed.",
        roles=READ_CONFIG,
    ),
    _notify(
        "POST",
        "/unsubscribe/{token}",
        tag=NOTIFICATIONS,
        summary="One-click unsubscribe",
        description="The signed link of a mailing (RFC 8058 List-Unsubscribe-Post): no more mailings "
        "of this organiser to the address; messages about the person's own registration, requests "
        "and meetings go on. 404 for a link that is not Salon's.",
        public=True,
    ),
)
ROUTES = ROUTES + NOTIFY_ROUTES

BY_KEY: Mapping[str, Route] = {route.key: route for route in ROUTES}


def routes_of(function: str) -> tuple[Route, ...]:
    """The routes one function serves (its HttpApi events in template.yaml)."""
    return tuple(route for route in ROUTES if route.function == function)
