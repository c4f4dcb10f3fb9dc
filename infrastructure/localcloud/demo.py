"""The end-to-end demo (`make demo`): one organiser sets up a salon, ~200 companies register, the
organiser decides, a participant rectifies their data, companies request meetings, another tenant is
kept out, the DPO audits, then the organiser schedules the meetings and publishes everyone's agenda.

Everything after user creation goes through the HTTP API. The printed report carries ids, counts and
timings, never a person's name, e-mail or phone.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from salon.kernel.usernames import participant_username, username_for

from localcloud.api_client import ApiClient, Json, UnexpectedStatus
from localcloud.demo_checkout import CheckoutCheckFailed, CheckoutReport, format_checkout, run_checkout
from localcloud.demo_closure import (
    ClosureDidNotFinish,
    ClosureReport,
    close_tenant,
    format_closure,
    tenant_items,
)
from localcloud.demo_data import (
    DEFAULT_COMPANY_COUNT,
    DEFAULT_SEED,
    REFUSAL_REASONS,
    DemoCompany,
    build_dataset,
    profile_payload,
    registration_payload,
)
from localcloud.demo_dsar import (
    DsarReport,
    RequestDidNotFinish,
    format_dsar,
    run_dsar,
    sweep_after_event,
)
from localcloud.demo_invoices import report as invoice_report
from localcloud.demo_notify import (
    REPORT_WAIT_S,
    REQUALIFIED_COMPANIES,
    notification_lines,
    run_requalification,
    settle,
)
from localcloud.demo_requests import (
    Campaign,
    Party,
    RequestsReport,
    fill_profiles,
    format_requests,
    open_catalogue,
    run_campaign,
)
from localcloud.demo_schedule import (
    TIME_LIMIT_S,
    RunDidNotFinish,
    ScheduleReport,
    format_schedule,
    run_schedule,
)
from localcloud.demo_search import search_lines
from localcloud.outbox import Captured
from localcloud.scheduler_clock import fire_due, reminder_lines
from localcloud.stripe_server import LocalStripe
from localcloud.sweep import SweepFailed
from localcloud.template import REPO_ROOT

ORGANIZER = "organizer"
STAFF = "staff"
DPO = "dpo"
PARTICIPANT = "participant"
# Companies (besides the demo's participant) that sign in and fill their profile: a representative
# subset of both types, as all ~190 would add about three minutes (a sign-in and an indexing each).
PROFILED_COMPANIES = 60
CHECKOUT_COMPANIES = 20  # companies that buy their package (signed in already for their profile)


class Cloud(Protocol):
    """What the demo needs from `localcloud.LocalCloud` (users are the only thing made outside HTTP)."""

    @property
    def gateway_url(self) -> str: ...

    def create_user(self, email: str, password: str, group: str, tenant_id: str) -> str: ...

    def login(self, username: str, password: str) -> str: ...

    def set_password(self, username: str, password: str) -> None: ...

    @property
    def stripe(self) -> LocalStripe: ...
    def captured(self, since: float = 0.0) -> list[Captured]: ...


class DemoCheckFailed(RuntimeError):
    """The platform answered, but not what the demo promises (e.g. a cross-tenant read succeeded)."""


@dataclass(frozen=True)
class DemoUser:
    email: str
    username: str
    password: str
    role: str
    tenant_id: str
    sub: str
    token: str


@dataclass(frozen=True)
class Registered:
    company: DemoCompany
    registration_id: str
    participant_ids: tuple[str, ...]


@dataclass(frozen=True)
class AuditLine:
    at: str
    actor_id: str
    actor_role: str
    action: str
    purpose: str
    fields: tuple[str, ...]


@dataclass
class DemoReport:
    run_id: str
    event_id: str = ""
    companies: int = 0
    participants: int = 0
    by_state: Counter[str] = field(default_factory=Counter)
    by_type: Counter[str] = field(default_factory=Counter)
    idempotent_replays: int = 0
    replays_matching: int = 0
    refused_ids: list[str] = field(default_factory=list)
    subject_registration_id: str = ""
    subject_participant_id: str = ""
    profile_saved: bool = False
    profiles_filled: int = 0
    tenant_b_probes: list[tuple[str, int]] = field(default_factory=list)
    closure: ClosureReport = field(default_factory=ClosureReport)
    audit: list[AuditLine] = field(default_factory=list)
    search: list[str] = field(default_factory=list)
    notifications: list[str] = field(default_factory=list)
    reminders: list[str] = field(default_factory=list)
    requalification: list[str] = field(default_factory=list)
    actor_labels: dict[str, str] = field(default_factory=dict)
    timings_s: dict[str, float] = field(default_factory=dict)
    register_latencies_s: list[float] = field(default_factory=list)
    meeting_requests: RequestsReport = field(default_factory=RequestsReport)
    schedule: ScheduleReport = field(default_factory=ScheduleReport)
    checkout: CheckoutReport = field(default_factory=CheckoutReport)
    dsar: DsarReport = field(default_factory=DsarReport)

    progress: Callable[[str], None] = field(default=lambda message: None, repr=False)

    @contextmanager
    def timed(self, phase: str) -> Iterator[None]:
        self.progress(f"{phase}...")
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings_s[phase] = time.perf_counter() - started


def strong_password() -> str:
    # The user pool's policy (template.yaml): 12+ characters with upper, lower and digits.
    return f"Demo-{secrets.token_urlsafe(12)}-9a"


def make_user(cloud: Cloud, email: str, role: str, tenant_id: str) -> DemoUser:
    password = strong_password()
    sub = cloud.create_user(email, password, role, tenant_id)
    username = username_for(role, tenant_id, email)
    return DemoUser(email, username, password, role, tenant_id, sub, cloud.login(username, password))


def set_up_event(organizer: ApiClient, now: datetime) -> str:
    """Create, configure and publish the salon; returns its id."""
    dataset = build_dataset(now, companies=0)
    event_id = str(organizer.create_event(dataset.event)["event_id"])
    organizer.put_taxonomy(event_id, dataset.taxonomy)
    for participation_type in dataset.types:
        organizer.create_type(event_id, participation_type)
    organizer.put_form(event_id, dataset.form)
    published = organizer.patch_event(event_id, {"status": "published"})
    if published.get("registration_open") is not True:
        raise DemoCheckFailed("the published event does not report its registration as open")
    return event_id


def _register_one(
    public: ApiClient, event_id: str, company: DemoCompany, run_id: str
) -> tuple[Registered, float, bool | None]:
    """Register one company; every tenth one retries with its Idempotency-Key (None: no retry)."""
    key = f"demo-{run_id}-{company.index}"
    payload = registration_payload(company)
    first = public.register(event_id, payload, idempotency_key=key)
    body = first.json
    replay_matched: bool | None = None
    if company.index % 10 == 3:
        replay_matched = (
            public.register(event_id, payload, idempotency_key=key).json["registration_id"]
            == body["registration_id"]
        )
    participant_ids = tuple(str(p["participant_id"]) for p in body["participants"])
    return Registered(company, str(body["registration_id"]), participant_ids), first.elapsed_s, replay_matched


def register_companies(
    public: ApiClient,
    event_id: str,
    companies: list[DemoCompany],
    run_id: str,
    report: DemoReport | None = None,
) -> list[Registered]:
    """Register every company anonymously, one after the other: moto's DynamoDB transactions are not
    thread-safe, so concurrent registrations would fail locally for reasons production does not have."""
    registered: list[Registered] = []
    for company in companies:
        item, latency, replay_matched = _register_one(public, event_id, company, run_id)
        registered.append(item)
        if report is not None:
            report.register_latencies_s.append(latency)
            if replay_matched is not None:
                report.idempotent_replays += 1
                report.replays_matching += replay_matched
    return registered


def planned_decision(position: int, total: int) -> str:
    """What the organiser does with the n-th registration: about one in twenty-five refused (at least
    one), one in fifty left pending for later, the rest validated."""
    if position % 25 == 7 or (total < 25 and position == total - 1):
        return "refuse"
    if position % 50 == 21:
        return "pending"
    return "validate"


def decide_all(organizer: ApiClient, registered: list[Registered], report: DemoReport) -> None:
    for position, item in enumerate(registered):
        decision = planned_decision(position, len(registered))
        if decision == "refuse":
            reason = REFUSAL_REASONS[len(report.refused_ids) % len(REFUSAL_REASONS)]
            organizer.decide(item.registration_id, "refuse", reason)
            report.refused_ids.append(item.registration_id)
        elif decision == "validate":
            organizer.decide(item.registration_id, "validate")


def _pick_subject(registered: list[Registered], report: DemoReport) -> Registered:
    refused = set(report.refused_ids)
    for item in registered:
        if item.registration_id not in refused and item.company.locale == "fr":
            return item
    return next(item for item in registered if item.registration_id not in refused)


def participant_rectifies(
    cloud: Cloud, gateway: ApiClient, subject: Registered, event_id: str, tenant_id: str
) -> tuple[Json, ApiClient]:
    """The participant sets a password, reads their data, corrects it and fills their profile."""
    person = subject.company.participants[0]
    password = strong_password()
    username = participant_username(tenant_id, person.email)
    cloud.set_password(username, password)
    me = gateway.as_user(cloud.login(username, password))
    before = me.me()
    if not any(p["registration_id"] == subject.registration_id for p in before["participations"]):
        raise DemoCheckFailed("GET /me does not show the participant's registration")
    corrected = person.job_title + (" (achats)" if person.locale == "fr" else " (procurement)")
    after = me.patch_me({"job_title": corrected})
    if any(p["job_title"] != corrected for p in after["participations"]):
        raise DemoCheckFailed("PATCH /me did not apply the correction")
    return me.put_profile(profile_payload(subject.company, event_id)), me


def probe_other_tenant(outsider: ApiClient, event_id: str, registration_id: str) -> list[tuple[str, int]]:
    """Tenant B's organiser must not learn that tenant A's ids even exist: 404 everywhere."""
    probes = [
        ("GET", f"/events/{event_id}", "GET /events/{event_id}"),
        ("GET", f"/events/{event_id}/registrations", "GET /events/{event_id}/registrations"),
        ("GET", f"/registrations/{registration_id}", "GET /registrations/{registration_id}"),
        ("PATCH", f"/events/{event_id}", "PATCH /events/{event_id}"),
    ]
    results: list[tuple[str, int]] = []
    for method, path, label in probes:
        body = {"status": "closed"} if method == "PATCH" else None
        status = outsider.request(method, path, json=body, expected=(200, 201, 403, 404)).status
        results.append((label, status))
    leaked = [label for label, status in results if status != 404]
    if leaked:
        raise DemoCheckFailed(f"tenant isolation broken: {', '.join(leaked)} did not answer 404")
    if any(event["event_id"] == event_id for event in outsider.list_events()):
        raise DemoCheckFailed("tenant isolation broken: GET /events lists another tenant's event")
    return results


def run_demo(
    cloud: Cloud,
    companies: int = DEFAULT_COMPANY_COUNT,
    seed: int = DEFAULT_SEED,
    run_id: str | None = None,
    progress: Callable[[str], None] | None = None,
    schedule_time_limit_s: int = TIME_LIMIT_S,
    notify_wait_s: float = REPORT_WAIT_S,
) -> DemoReport:
    run_id = run_id or secrets.token_hex(3)
    report = DemoReport(run_id=run_id)
    started_at = time.time()
    if progress is not None:
        report.progress = progress
    tenant_a, tenant_b = f"t-aura-{run_id}", f"t-bzh-{run_id}"
    gateway = ApiClient(cloud.gateway_url)
    with report.timed("users"):
        organizer_a = make_user(cloud, f"organisateur.{run_id}@salon-aura.example.fr", ORGANIZER, tenant_a)
        organizer_b = make_user(cloud, f"organisateur.{run_id}@salon-bzh.example.fr", ORGANIZER, tenant_b)
        dpo_a = make_user(cloud, f"dpo.{run_id}@salon-aura.example.fr", DPO, tenant_a)
    report.actor_labels = {
        organizer_a.sub: "organiser A",
        organizer_b.sub: "organiser B",
        dpo_a.sub: "DPO A",
    }
    organizer = gateway.as_user(organizer_a.token)
    with report.timed("event set-up"):
        report.event_id = set_up_event(organizer, datetime.now(UTC))
    dataset = build_dataset(datetime.now(UTC), seed, companies, domain_label=f"run{run_id}")
    with report.timed(f"registrations ({companies} companies)"):
        registered = register_companies(
            gateway.as_user(None), report.event_id, dataset.companies, run_id, report
        )
    with report.timed("review (list and decide)"):
        submitted = organizer.list_registrations(report.event_id, state="submitted")
        if len(submitted) != len(registered):
            raise DemoCheckFailed(f"{len(submitted)} submitted registrations listed, {len(registered)} made")
        decide_all(organizer, registered, report)
    subject = _pick_subject(registered, report)
    report.subject_registration_id = subject.registration_id
    report.subject_participant_id = subject.participant_ids[0]
    with report.timed("participant"):
        organizer.get_registration(subject.registration_id)
        profile, participant = participant_rectifies(cloud, gateway, subject, report.event_id, tenant_a)
        report.profile_saved = any(p.get("profile") for p in profile["participations"])
    validated = [
        (Party.of(item.registration_id, item.company), item.company)
        for position, item in enumerate(registered)
        if planned_decision(position, len(registered)) == "validate"
    ]
    campaign = Campaign(cloud, gateway, report.event_id, tenant_a, strong_password)
    others = [(party, company) for party, company in validated if company is not subject.company]
    with report.timed(f"profiles ({min(len(others), PROFILED_COMPANIES)} other companies)"):
        report.profiles_filled = fill_profiles(campaign, others[:PROFILED_COMPANIES])
    with report.timed("catalogue search"):
        report.search = search_lines(participant, report.event_id)
    with report.timed("meeting requests"):
        open_catalogue(organizer, report.event_id, datetime.now(UTC))
        parties = [party for party, _ in validated]
        report.meeting_requests = run_campaign(campaign, organizer, parties, REPO_ROOT / ".local" / "demo")
    with report.timed("tenant isolation"):
        report.tenant_b_probes = probe_other_tenant(
            gateway.as_user(organizer_b.token), report.event_id, subject.registration_id
        )
    with report.timed("audit"):
        report.audit = [
            AuditLine(
                at=str(item["at"]),
                actor_id=str(item["actor_id"]),
                actor_role=str(item["actor_role"]),
                action=str(item["action"]),
                purpose=str(item.get("purpose") or ""),
                fields=tuple(str(name) for name in item.get("fields") or ()),
            )
            for item in gateway.as_user(dpo_a.token).audit(subject_id=report.subject_participant_id)
        ]
    if not any(line.actor_id == organizer_a.sub for line in report.audit):
        raise DemoCheckFailed("the audit trail lacks the organiser's consultation of the participant")
    with report.timed("scheduling (grid, run, publish, agenda)"):
        busiest = report.meeting_requests.top_received[0][0]
        party = next(p for p, _ in validated if p.registration_id == busiest)
        report.schedule = run_schedule(
            organizer, report.event_id, campaign.as_company(party), schedule_time_limit_s
        )
    with report.timed(f"checkout ({min(len(others), CHECKOUT_COMPANIES)} companies)"):
        buyers = [(party.type_code, campaign.as_company(party)) for party, _ in others[:CHECKOUT_COMPANIES]]
        report.checkout = run_checkout(organizer, report.event_id, buyers, cloud.stripe, report.progress)
        report.checkout.invoices = invoice_report(cloud, tenant_a, report.event_id)
    with report.timed("notifications (outbox)"):
        report.notifications = notification_lines(*settle(cloud, started_at, notify_wait_s))
    with report.timed("reminders (simulated clock to the event's end)"):
        ends_at = datetime.fromisoformat(str(organizer.get_event(report.event_id)["ends_at"]))
        report.reminders = reminder_lines(fire_due(cloud, ends_at))
    with report.timed("contact re-qualification (simulated clock)"):
        aged = [subject, *(item for item in registered if item is not subject)][:REQUALIFIED_COMPANIES]
        contacts = [(item.registration_id, pid) for item in aged for pid in item.participant_ids]
        report.requalification = run_requalification(
            cloud, organizer, participant, tenant_a, report.event_id, contacts
        )
    final = organizer.list_registrations(report.event_id)
    if len(final) != companies or report.replays_matching != report.idempotent_replays:
        raise DemoCheckFailed("Idempotency-Key replays created registrations or returned other ones")
    report.companies = len(final)
    report.participants = sum(len(item["participants"]) for item in final)
    report.by_state = Counter(str(item["state"]) for item in final)
    report.by_type = Counter(str(item["type"]) for item in final)
    # Last: the erasure removes a company the counts above include.
    with report.timed("data-subject requests (access, erasure) and the retention sweep"):
        erased = next(
            item
            for item in registered[1:]
            if item is not subject and item.registration_id != party.registration_id
        )
        report.dsar = run_dsar(
            gateway.as_user(dpo_a.token),
            subject.company.participants[0].email,
            erased.company.participants[0].email,
            REPO_ROOT / ".local" / "demo" / "dsar",
        )
        event = organizer.get_event(report.event_id)
        sweep_after_event(cloud, gateway.as_user(dpo_a.token), report.dsar, str(event["ends_at"]), tenant_a)
    with report.timed("tenant B's closure (export, close, certificate)"):
        report.closure = close_tenant(
            gateway.as_user(organizer_b.token),
            tenant_b,
            lambda: tenant_items(cloud, tenant_a),
        )
    return report


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def _audit_text(line: AuditLine, actor_labels: dict[str, str]) -> str:
    actor = actor_labels.get(line.actor_id, line.actor_id)
    fields = ",".join(line.fields) or "-"
    who = f"{line.actor_role:<10} {actor:<12}"
    return f"  {line.at}  {who} {line.action:<22} purpose={line.purpose} fields={fields}"


def format_report(report: DemoReport) -> str:
    lines = [
        f"Salon demo — run {report.run_id}, event {report.event_id}",
        "",
        f"Registrations: {report.companies} companies, {report.participants} participants",
        "  by state: " + ", ".join(f"{state} {n}" for state, n in sorted(report.by_state.items())),
        "  by type:  " + ", ".join(f"{kind} {n}" for kind, n in sorted(report.by_type.items())),
        f"  Idempotency-Key replays: {report.idempotent_replays}, same registration returned: "
        f"{report.replays_matching}",
        f"  refused (with a reason): {', '.join(report.refused_ids) or 'none'}",
        f"  register latency p50 {_percentile(report.register_latencies_s, 0.5) * 1000:.0f} ms, "
        f"p95 {_percentile(report.register_latencies_s, 0.95) * 1000:.0f} ms",
        "",
        f"Participant {report.subject_participant_id} (registration {report.subject_registration_id}): "
        f"GET /me, PATCH /me, PUT /me/profile -> profile saved: {report.profile_saved}",
        f"Profiles (needs, offers, description) filled through PUT /me/profile by {report.profiles_filled} "
        "other validated companies",
        "",
        *format_requests(report.meeting_requests),
        "",
        "Tenant B's organiser probing tenant A:",
        *(f"  {label:<45} -> {status}" for label, status in report.tenant_b_probes),
        "",
        *report.search,
        "",
        f"Audit trail of participant {report.subject_participant_id}, read by tenant A's DPO (newest first):",
        *(_audit_text(line, report.actor_labels) for line in report.audit),
        "",
        *format_schedule(report.schedule),
        "",
        *format_checkout(report.checkout),
        *format_dsar(report.dsar),
        *format_closure(report.closure),
        *report.notifications,
        *report.reminders,
        *report.requalification,
        "",
        "Timings: " + ", ".join(f"{phase} {seconds:.2f} s" for phase, seconds in report.timings_s.items()),
    ]
    return "\n".join(lines)


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m localcloud.demo", description="Salon end-to-end demo.")
    parser.add_argument("--companies", type=int, default=DEFAULT_COMPANY_COUNT)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--verbose", action="store_true", help="keep the handlers' INFO logs")
    return parser.parse_args(argv)


def quiet_handler_logs() -> None:
    """Keep the in-process handlers to warnings: their per-request INFO lines would bury a report.

    Lambda's own log-level control (ALC) outranks the template's POWERTOOLS_LOG_LEVEL, as in AWS.
    """
    os.environ["AWS_LAMBDA_LOG_LEVEL"] = "WARN"
    warnings.filterwarnings("ignore", message="Current log level", category=UserWarning)


def _to_stderr(message: str) -> None:
    print(f"[demo] {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    from localcloud import LocalCloud

    args = _parse_args(argv)
    if not args.verbose:
        quiet_handler_logs()
    started = time.perf_counter()
    _to_stderr("starting the local cloud...")
    try:
        with LocalCloud.start(gateway_port=0) as cloud:
            report = run_demo(cloud, companies=args.companies, seed=args.seed, progress=_to_stderr)
    except (
        UnexpectedStatus,
        DemoCheckFailed,
        RunDidNotFinish,
        RequestDidNotFinish,
        ClosureDidNotFinish,
        SweepFailed,
        CheckoutCheckFailed,
    ) as failure:
        print(f"DEMO FAILED: {failure}", file=sys.stderr)
        return 1
    print(format_report(report))
    print(f"Total wall time (local cloud start included): {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
