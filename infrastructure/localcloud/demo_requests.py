"""The demo's meeting-request campaign (`make demo`): the catalogue opens, validated companies send about
300 requests with a realistic skew (a Zipf-like choice of targets: popular companies get many), some are
answered by a request back (mutual), most are answered before the deadline, a few are cancelled; then
the organiser lists them by state and exports them as CSV and XLSX.

Everything goes through the HTTP API. Participants sign in once per company, lazily.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

from salon.kernel.usernames import participant_username

from localcloud.api_client import ApiClient, Json
from localcloud.demo_data import DemoCompany, profile_payload
from localcloud.template import REPO_ROOT

DEFAULT_REQUESTS = 300
MUTUAL_SHARE = 0.12  # of the requests, answered by a request back
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REFUSALS = (
    "Agenda complet sur les deux jours.",
    "Hors de notre périmètre d'achat cette année.",
    "Nous avons déjà un fournisseur sur ce besoin.",
)
MESSAGES = (
    "Bonjour, vos capacités nous intéressent pour un projet en cours.",
    "Hello, we would like to discuss a supply partnership.",
    "Nous cherchons un partenaire pour une série de pièces.",
)


class SignIn(Protocol):
    def login(self, username: str, password: str) -> str: ...

    def set_password(self, username: str, password: str) -> None: ...


@dataclass(frozen=True)
class Party:
    """A validated company as the campaign sees it: its id, type and the participant who signs in."""

    registration_id: str
    type_code: str
    email: str

    @classmethod
    def of(cls, registration_id: str, company: DemoCompany) -> Party:
        return cls(registration_id, company.type_code, company.participants[0].email)


@dataclass
class RequestsReport:
    sent: int = 0
    mutual: int = 0
    by_state: Counter[str] = field(default_factory=Counter)
    top_received: list[tuple[str, int]] = field(default_factory=list)
    exports: list[Path] = field(default_factory=list)
    send_latencies_s: list[float] = field(default_factory=list)


def zipf_weights(count: int, exponent: float = 1.1) -> list[float]:
    """Rank r's weight 1 / r**s: a few companies draw most of the demand, as on a real salon floor."""
    return [1.0 / (rank**exponent) for rank in range(1, count + 1)]


def open_catalogue(organizer: ApiClient, event_id: str, now: datetime) -> None:
    """The organiser opens the catalogue (and so the requests) now, ahead of the planned date."""
    opens = (now - timedelta(minutes=1)).astimezone(UTC).isoformat()
    organizer.patch_event(event_id, {"key_dates": {"catalogue_opens_at": opens}})


class Campaign:
    def __init__(
        self, cloud: SignIn, gateway: ApiClient, event_id: str, tenant_id: str, password: Callable[[], str]
    ) -> None:
        self.cloud, self.gateway, self.event_id, self.tenant_id = cloud, gateway, event_id, tenant_id
        self.password = password
        self._clients: dict[str, ApiClient] = {}

    def as_company(self, company: Party) -> ApiClient:
        """A participant of the company, signed in once."""
        if company.registration_id not in self._clients:
            username = participant_username(self.tenant_id, company.email)
            password = self.password()
            self.cloud.set_password(username, password)
            self._clients[company.registration_id] = self.gateway.as_user(
                self.cloud.login(username, password)
            )
        return self._clients[company.registration_id]

    def send(self, sender: Party, receiver: Party, priority: int, message: str) -> tuple[Json, float]:
        body = {"to_registration_id": receiver.registration_id, "priority": priority, "message": message}
        response = self.as_company(sender).request(
            "POST", f"/events/{self.event_id}/meeting-requests", json=body, expected=(201,)
        )
        return response.json, response.elapsed_s


def fill_profiles(campaign: Campaign, companies: Sequence[tuple[Party, DemoCompany]]) -> int:
    """Each company's signing-in participant fills its profile (needs, offers, description) with
    `PUT /me/profile`, so suggestions have both sides to match; the sign-ins are kept for the campaign."""
    for party, company in companies:
        campaign.as_company(party).put_profile(profile_payload(company, campaign.event_id))
    return len(companies)


def plan_pairs(companies: Sequence[Party], count: int, rng: random.Random) -> list[tuple[Party, Party]]:
    """``count`` distinct (sender, target) pairs of companies of the two types; targets by popularity."""
    by_type: dict[str, list[Party]] = {}
    for company in companies:
        by_type.setdefault(company.type_code, []).append(company)
    kinds = sorted(by_type)
    if len(kinds) != 2:  # buyers and suppliers request each other: nobody to ask without both
        return []
    popularity = {kind: rng.sample(members, len(members)) for kind, members in by_type.items()}
    pairs: list[tuple[Party, Party]] = []
    taken: set[frozenset[str]] = set()
    for _ in range(count * 20):
        if len(pairs) == count:
            break
        sender = rng.choice(companies)
        others = popularity[kinds[1 - kinds.index(sender.type_code)]]
        target = rng.choices(others, weights=zipf_weights(len(others)))[0]
        key = frozenset((sender.registration_id, target.registration_id))
        if key not in taken:
            taken.add(key)
            pairs.append((sender, target))
    return pairs


def run_campaign(
    campaign: Campaign,
    organizer: ApiClient,
    validated: Sequence[Party],
    out_dir: Path,
    *,
    requests: int = DEFAULT_REQUESTS,
    seed: int = 7,
) -> RequestsReport:
    rng = random.Random(seed)
    report = RequestsReport()
    pairs = plan_pairs(validated, requests, rng)
    mutual_count = int(len(pairs) * MUTUAL_SHARE)
    pending: list[tuple[Json, Party, Party]] = []
    for position, (sender, target) in enumerate(pairs):
        priority = rng.choices((1, 2, 3), weights=(1, 3, 6))[0]
        outcome, elapsed = campaign.send(sender, target, priority, rng.choice(MESSAGES))
        report.send_latencies_s.append(elapsed)
        report.sent += 1
        if position < mutual_count:  # the target asks back: that approves the first request
            back, elapsed = campaign.send(target, sender, 2, rng.choice(MESSAGES))
            report.send_latencies_s.append(elapsed)
            report.mutual += back["mutual"] is True and back["resolution"] == "approved_theirs"
        else:
            pending.append((outcome, sender, target))
    for outcome, sender, target in pending:
        roll = rng.random()
        rid = outcome["request_id"]
        if roll < 0.70:
            campaign.as_company(target).post(f"/meeting-requests/{rid}/answer", {"decision": "approve"})
        elif roll < 0.85:
            answer = {"decision": "refuse", "reason": rng.choice(REFUSALS)}
            campaign.as_company(target).post(f"/meeting-requests/{rid}/answer", answer)
        elif roll < 0.90:
            campaign.as_company(sender).post(f"/meeting-requests/{rid}/cancel")
        # else: left unanswered (still sent; expires at the answers deadline)
    listed = list(organizer.paginate(f"/events/{campaign.event_id}/meeting-requests"))
    report.by_state = Counter(str(item["state"]) for item in listed)
    received = Counter(str(item["to_registration_id"]) for item in listed)
    report.top_received = received.most_common(3)
    report.exports = export(organizer, campaign.event_id, out_dir)
    return report


def export(organizer: ApiClient, event_id: str, out_dir: Path) -> list[Path]:
    """The organiser's CSV (``;``, French headers, for Excel in French) and XLSX exports, as files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for media_type, params, suffix in ((CSV, {"separator": ";", "locale": "fr"}, "csv"), (XLSX, {}, "xlsx")):
        response = organizer.session.get(
            f"{organizer.base_url}/events/{event_id}/meeting-requests",
            params=params,
            headers={"Accept": media_type, "Authorization": f"Bearer {organizer.token}"},
            timeout=organizer.timeout_s,
        )
        response.raise_for_status()
        path = out_dir / f"meeting-requests-{event_id}.{suffix}"
        path.write_bytes(response.content)
        written.append(path)
    return written


def _shown(path: Path) -> Path:
    """The path from the repository's root when it is inside it (shorter, and the same on any machine)."""
    return path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path


def format_requests(report: RequestsReport) -> list[str]:
    total = sum(report.by_state.values())
    ordered = sorted(report.send_latencies_s)
    p50 = ordered[len(ordered) // 2] * 1000 if ordered else 0.0
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000 if ordered else 0.0
    approved = report.by_state.get("approved", 0)
    return [
        f"Meeting requests: {report.sent} sent, {report.mutual} answered by a request back (mutual)",
        "  by state: " + ", ".join(f"{state} {n}" for state, n in sorted(report.by_state.items())),
        f"  mutual share: {report.mutual / max(total, 1):.0%} of all requests, "
        f"{report.mutual / max(approved, 1):.0%} of the approved",
        "  most requested: " + ", ".join(f"{rid} ({n})" for rid, n in report.top_received),
        f"  send latency p50 {p50:.0f} ms, p95 {p95:.0f} ms",
        *(f"  export: {_shown(path)}" for path in report.exports),
    ]


def seed_every_state(campaign: Campaign, organizer: ApiClient) -> Counter[str]:
    """`make dev`: one request per state among the event's validated companies, as far as there are
    pairs of companies (five for every state): sent, approved as a mutual request, refused with a
    reason, cancelled, expired, approved. The expired one is stored as the expiry at the answers
    deadline stores it (the dev event's own deadline stays ahead, so the event stays open)."""
    from salon.matchmaking import deps
    from salon.matchmaking.services.request_lists import SYSTEM
    from salon.matchmaking.services.requests import change

    open_catalogue(organizer, campaign.event_id, datetime.now(UTC))
    listed = organizer.paginate(f"/events/{campaign.event_id}/registrations", {"state": "validated"})
    parties = [
        Party(str(r["registration_id"]), str(r["type"]), str(r["participants"][0]["email"])) for r in listed
    ]
    outcomes = ("sent", "mutual", "refused", "cancelled", "expired", "approved")
    pairs = plan_pairs(parties, len(outcomes), random.Random(11))
    for outcome, (sender, target) in zip(outcomes, pairs, strict=False):  # as many as there are pairs
        rid = str(campaign.send(sender, target, 2, MESSAGES[0])[0]["request_id"])
        if outcome == "mutual":
            campaign.send(target, sender, 1, "Avec plaisir.")
        elif outcome in ("refused", "approved"):
            answer = (
                {"decision": "approve"}
                if outcome == "approved"
                else {"decision": "refuse", "reason": REFUSALS[0]}
            )
            campaign.as_company(target).post(f"/meeting-requests/{rid}/answer", answer)
        elif outcome == "cancelled":
            campaign.as_company(sender).post(f"/meeting-requests/{rid}/cancel")
        elif outcome == "expired":
            stored = deps.get().requests.get(campaign.tenant_id, rid)
            if stored is not None:
                change(stored, "expire", SYSTEM)
    return Counter(
        str(item["state"]) for item in organizer.paginate(f"/events/{campaign.event_id}/meeting-requests")
    )
