"""A local development server (`make dev`): the local cloud on 127.0.0.1:PORT, seeded with two tenants.

Each tenant has an organiser, a published event and validated registrations; tenant A also has a
staff member, a DPO, a participant who signed in, meeting requests in every state its validated
companies allow (`demo_requests.seed_every_state`), a published schedule (`demo_schedule`: a
two-day grid, one meeting moved by hand, the signed-in participants' meetings locked, so their
agendas are there to browse), products and its signed-in companies' orders (paid by card through
localstripe or by transfer, two refunded), tenant B a participant too (to try isolation by
hand). Beside each other in `.local/` (git-ignored, mode 600: they hold passwords):

- `dev-users.json`: the users, with their Cognito username (``s:`` or ``p:<tenant>:<email>``),
  password and a fresh ID token;
- `cloud.json`: what an AWS SDK or CLI needs to sign in against the local cloud (endpoint, region,
  user pool and app client ids, table, event bus, gateway URL, event ids), e.g. `aws cognito-idp
  initiate-auth --endpoint-url <endpoint_url> --auth-flow USER_PASSWORD_AUTH ...`, and localstripe's
  URL and test keys (to confirm a card order's PaymentIntent with ``pm_card_visa``).

The gateway port opens only once both files are written, so the first `/health` that answers means
the server is ready. SIGTERM or Ctrl-C stops it cleanly (exit code 0).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

from salon.kernel.usernames import participant_username

from localcloud import outbox_page
from localcloud.api_client import ApiClient
from localcloud.demo import (
    DPO,
    ORGANIZER,
    PARTICIPANT,
    STAFF,
    Cloud,
    DemoUser,
    make_user,
    register_companies,
    set_up_event,
    strong_password,
)
from localcloud.demo_checkout import run_checkout
from localcloud.demo_data import generate_companies
from localcloud.demo_requests import Campaign, Party, fill_profiles, seed_every_state
from localcloud.demo_schedule import run_schedule
from localcloud.scheduler_clock import fire_due

logger = logging.getLogger("localcloud.dev")
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_USERS_FILE = REPO_ROOT / ".local" / "dev-users.json"
SEEDED_COMPANIES = 44
VALIDATED_COMPANIES = 40  # buyers and suppliers: their catalogue (buyers see suppliers and vice versa)
SIGNED_IN_PER_TYPE = 2
SCHEDULER_TICK_S = 15  # how often `make dev` fires the due reminder schedules
STOP_POLL_S = 0.2
SCHEDULE_TIME_LIMIT_S = 2
LOCKS = ("slot_and_table", "slot")  # alternately, on the signed-in participants' meetings


@dataclass(frozen=True)
class DevUser:
    email: str
    username: str
    password: str
    role: str
    tenant_id: str
    token: str
    registration_id: str | None = None  # participants: their company
    type: str | None = None  # participants: their participation type


@dataclass(frozen=True)
class DevSeed:
    event_id: str  # tenant A's
    registration_ids: list[str]  # tenant A's
    events: dict[str, str]  # tenant id -> event id
    users: list[DevUser]


def _dev_user(user: DemoUser) -> DevUser:
    return DevUser(user.email, user.username, user.password, user.role, user.tenant_id, user.token)


def _seed_tenant(
    cloud: Cloud, organizer: DemoUser, label: str, companies: int, validated: int, per_type: int
) -> tuple[str, list[str], list[DevUser]]:
    """A published event with registrations, the first ``validated`` ones validated with their profiles
    filled (needs, offers, descriptions in fr and en); the first ``per_type`` validated companies of
    each type sign in (Cognito invited them; we set passwords)."""
    gateway = ApiClient(cloud.gateway_url)
    as_organizer = gateway.as_user(organizer.token)
    event_id = set_up_event(as_organizer, datetime.now(UTC))
    people = generate_companies(count=companies, domain_label=label)
    registered = register_companies(gateway.as_user(None), event_id, people, run_id=label)
    for item in registered[:validated]:
        as_organizer.decide(item.registration_id, "validate")
    campaign = Campaign(cloud, gateway, event_id, organizer.tenant_id, strong_password)
    fill_profiles(
        campaign, [(Party.of(i.registration_id, i.company), i.company) for i in registered[:validated]]
    )
    participants: list[DevUser] = []
    for item in registered[:validated]:
        kind = item.company.type_code
        if sum(p.type == kind for p in participants) >= per_type:
            continue
        email = item.company.participants[0].email
        username = participant_username(organizer.tenant_id, email)
        password = strong_password()
        cloud.set_password(username, password)
        token = cloud.login(username, password)
        participants.append(
            DevUser(
                email, username, password, PARTICIPANT, organizer.tenant_id, token, item.registration_id, kind
            )
        )
    return event_id, [item.registration_id for item in registered], participants


def seed(cloud: Cloud, label: str = "dev") -> DevSeed:
    """Seed both tenants; ``label`` keeps e-mails and tenant ids apart when several seeds share a cloud."""
    tenant_a, tenant_b = f"t-{label}-a", f"t-{label}-b"
    staff_a = [
        make_user(cloud, f"organisateur@{label}-a.example.fr", ORGANIZER, tenant_a),
        make_user(cloud, f"operateur@{label}-a.example.fr", STAFF, tenant_a),
        make_user(cloud, f"dpo@{label}-a.example.fr", DPO, tenant_a),
    ]
    organizer_b = make_user(cloud, f"organisateur@{label}-b.example.fr", ORGANIZER, tenant_b)
    event_a, registrations_a, participants_a = _seed_tenant(
        cloud, staff_a[0], f"{label}-a", SEEDED_COMPANIES, VALIDATED_COMPANIES, SIGNED_IN_PER_TYPE
    )
    gateway = ApiClient(cloud.gateway_url)
    campaign = Campaign(cloud, gateway, event_a, tenant_a, strong_password)
    seed_every_state(campaign, gateway.as_user(staff_a[0].token))
    for participant in participants_a:  # the campaign signed participants in anew
        cloud.set_password(participant.username, participant.password)
    _publish_schedule(cloud, gateway.as_user(staff_a[0].token), event_a, participants_a)
    # Products, and the signed-in companies' orders: paid by card (localstripe) or transfer, two refunds.
    buyers = [(str(p.type), gateway.as_user(p.token)) for p in participants_a]
    run_checkout(gateway.as_user(staff_a[0].token), event_a, buyers, cloud.stripe)
    event_b, _, participants_b = _seed_tenant(cloud, organizer_b, f"{label}-b", 3, 2, 1)
    users = [_dev_user(user) for user in [*staff_a, organizer_b]] + participants_a + participants_b
    return DevSeed(event_a, registrations_a, {tenant_a: event_a, tenant_b: event_b}, users)


def _publish_schedule(cloud: Cloud, organizer: ApiClient, event_id: str, participants: list[DevUser]) -> None:
    """Run and publish the event's schedule, then lock the signed-in participants' meetings."""
    gateway = ApiClient(cloud.gateway_url)
    signed_in = [gateway.as_user(cloud.login(p.username, p.password)) for p in participants]
    run_schedule(organizer, event_id, signed_in[0], SCHEDULE_TIME_LIMIT_S)
    for participant in signed_in:
        for n, meeting in enumerate(participant.get("/me/agenda")["meetings"]):
            organizer.request("PATCH", f"/meetings/{meeting['meeting_id']}", json={"locked": LOCKS[n % 2]})


def write_users_file(path: Path, users: list[DevUser]) -> None:
    _write_private(path, [asdict(user) for user in users])


def cloud_description(cloud: Any, gateway_url: str, events: dict[str, str]) -> dict[str, Any]:
    """What a client needs to sign in with an AWS SDK or CLI and call the gateway."""
    resources = cloud.resources
    return {
        "endpoint_url": cloud.endpoint_url,
        "region": resources.region,
        "user_pool_id": resources.user_pool_id,
        "user_pool_client_id": resources.user_pool_client_id,
        "table_name": resources.table_name,
        "event_bus_name": resources.event_bus_name,
        "gateway_url": gateway_url,
        "events": events,
        # localstripe: confirm a card order's PaymentIntent here with the test keys (pm_card_visa).
        "stripe_api_base": cloud.stripe.url,
        "stripe_secret_key": cloud.stripe.secret_key,
        "stripe_publishable_key": cloud.stripe.publishable_key,
    }


def _write_private(path: Path, content: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_text(json.dumps(content, indent=2) + "\n", encoding="utf-8")


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m localcloud.dev", description="Local Salon API, seeded.")
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("PORT", "3000")),
        help="gateway port on 127.0.0.1 (default: $PORT or 3000; 0 picks a free one)",
    )
    parser.add_argument(
        "--users-file",
        type=Path,
        default=Path(os.environ.get("SALON_DEV_USERS_FILE", DEFAULT_USERS_FILE)),
        help="where to write the users and their tokens (default: .local/dev-users.json)",
    )
    parser.add_argument(
        "--exit-after-seed",
        "--seed-only",
        action="store_true",
        help="seed, write the users file, then stop (for tests)",
    )
    return parser.parse_args(argv)


class StopRequested(BaseException):
    """SIGTERM or SIGINT arrived while seeding: unwind (the local cloud stops on the way out). A
    BaseException, as KeyboardInterrupt is, so that no `except Exception` on the way swallows it."""


@dataclass
class Signals:
    """Once serving, a signal only asks the clock loop to stop between ticks: an exception raised in the
    middle of a Lambda call can be swallowed by the SDK's own error handling, and the server never stops.
    (A plain flag: a lock taken in a signal handler can deadlock with the interrupted main thread.)"""

    serving: bool = False
    stop_requested: str | None = None

    def install(self) -> None:
        def on_signal(signum: int, frame: FrameType | None) -> None:
            name = signal.Signals(signum).name
            if not self.serving:
                raise StopRequested(name)
            self.stop_requested = name

        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)

    def sleep(self, seconds: float) -> None:
        """Sleep up to ``seconds``, waking soon after a stop is requested."""
        deadline = time.monotonic() + seconds
        while self.stop_requested is None and time.monotonic() < deadline:
            time.sleep(STOP_POLL_S)


def main(argv: list[str] | None = None) -> int:
    from localcloud import LocalCloud

    args = _parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    cloud_file = args.users_file.parent / "cloud.json"
    signals = Signals()
    signals.install()
    try:
        # Seeding goes through a private gateway port; the public one opens when the files exist.
        with LocalCloud.start() as cloud:
            seeded = seed(cloud)
            public = cloud.listen(args.port, outbox_page.mount)
            write_users_file(args.users_file, seeded.users)
            _write_private(cloud_file, cloud_description(cloud, public.url, seeded.events))
            signals.serving = True
            public.start()
            base = public.url
            print(f"API           {base}")
            print(f"OpenAPI       {base}/openapi.json")
            print(f"Swagger UI    {base}/docs")
            print(f"Outbox        {base}/dev/outbox (e-mails and SMS the local cloud sent)")
            print(f"Events        {', '.join(f'{t}: {e}' for t, e in seeded.events.items())}")
            print(f"Users+tokens  {args.users_file} ({', '.join(user.role for user in seeded.users)})")
            print(f"SDK/CLI       {cloud_file} (sign in with USER_PASSWORD_AUTH and a user's username)")
            sys.stdout.flush()
            if args.exit_after_seed:
                return 0
            print("Serving; Ctrl-C to stop. Reminders fire on real time.", flush=True)
            # the Scheduler clock moto lacks: due reminders fire every tick
            while signals.stop_requested is None:
                fire_due(cloud, datetime.now(UTC))
                signals.sleep(SCHEDULER_TICK_S)
            logger.info("stopped by %s", signals.stop_requested)
    except StopRequested as stop:
        logger.info("stopped by %s", stop)
    print("Stopped.", flush=True)
    return 0


def _exit(code: int) -> None:
    """Exit once the local cloud is stopped, without tearing down the interpreter's objects one by one
    (moto's backends and boto3's models: seconds on a busy machine); only what is buffered matters."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    _exit(main())
