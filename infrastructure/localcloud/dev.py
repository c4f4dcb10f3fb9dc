"""A local development server (`make dev`): the local cloud on 127.0.0.1:PORT, seeded with two tenants.

Tenant A has a published event with a handful of registrations and one user per role; tenant B has only
an organiser (and nothing else, to try isolation by hand). Users and fresh ID tokens are written to
`.local/dev-users.json` (git-ignored): that file holds passwords, so it never goes anywhere but disk.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

from localcloud.api_client import ApiClient
from localcloud.demo import (
    DPO,
    ORGANIZER,
    PARTICIPANT,
    STAFF,
    Cloud,
    make_user,
    register_companies,
    set_up_event,
    strong_password,
)
from localcloud.demo_data import generate_companies

logger = logging.getLogger("localcloud.dev")
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_USERS_FILE = REPO_ROOT / ".local" / "dev-users.json"
SEEDED_COMPANIES = 6
VALIDATED_COMPANIES = 4


@dataclass(frozen=True)
class DevUser:
    email: str
    password: str
    role: str
    tenant_id: str
    token: str


@dataclass(frozen=True)
class DevSeed:
    event_id: str
    registration_ids: list[str]
    users: list[DevUser]


def seed(cloud: Cloud, label: str = "dev") -> DevSeed:
    """Seed both tenants; ``label`` keeps e-mails and tenant ids apart when several seeds share a cloud."""
    tenant_a, tenant_b = f"t-{label}-a", f"t-{label}-b"
    staff_users = [
        make_user(cloud, f"organisateur@{label}-a.example.fr", ORGANIZER, tenant_a),
        make_user(cloud, f"operateur@{label}-a.example.fr", STAFF, tenant_a),
        make_user(cloud, f"dpo@{label}-a.example.fr", DPO, tenant_a),
        make_user(cloud, f"organisateur@{label}-b.example.fr", ORGANIZER, tenant_b),
    ]
    gateway = ApiClient(cloud.gateway_url)
    organizer = gateway.as_user(staff_users[0].token)
    event_id = set_up_event(organizer, datetime.now(UTC))
    companies = generate_companies(count=SEEDED_COMPANIES, domain_label=label)
    registered = register_companies(gateway.as_user(None), event_id, companies, run_id=label)
    for item in registered[:VALIDATED_COMPANIES]:
        organizer.decide(item.registration_id, "validate")
    # The participant is the first person of a validated company; Cognito invited them, we set a password.
    participant_email = registered[0].company.participants[0].email
    password = strong_password()
    cloud.set_password(participant_email, password)
    participant = DevUser(
        participant_email, password, PARTICIPANT, tenant_a, cloud.login(participant_email, password)
    )
    users = [DevUser(u.email, u.password, u.role, u.tenant_id, u.token) for u in staff_users] + [participant]
    return DevSeed(event_id, [item.registration_id for item in registered], users)


def write_users_file(path: Path, users: list[DevUser]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([asdict(user) for user in users], indent=2) + "\n", encoding="utf-8")
    path.chmod(0o600)


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


def _wait_for_stop_signal() -> None:
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    stop.wait()


def main(argv: list[str] | None = None) -> int:
    from localcloud import LocalCloud

    args = _parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    with LocalCloud.start(gateway_port=args.port) as cloud:
        seeded = seed(cloud)
        write_users_file(args.users_file, seeded.users)
        base = cloud.gateway_url
        print(f"API           {base}")
        print(f"OpenAPI       {base}/openapi.json")
        print(f"Swagger UI    {base}/docs")
        print(f"Event (A)     {seeded.event_id} with {len(seeded.registration_ids)} registrations")
        print(f"Users+tokens  {args.users_file} ({', '.join(user.role for user in seeded.users)})")
        sys.stdout.flush()
        if args.exit_after_seed:
            return 0
        print("Serving; Ctrl-C to stop.", flush=True)
        _wait_for_stop_signal()
        logger.info("stopping the local cloud")
    print("Stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
