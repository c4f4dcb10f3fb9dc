"""localstripe, the fake Stripe server the local cloud starts for tests, the demo and ``make dev``.

It runs as a subprocess on a free port (``python -m localcloud.stripe_server --port N``), in memory
only: localstripe pickles its whole store to one fixed file after every change, which is slow once
hundreds of payments exist and would mix the stores of several clouds on one machine. The local cloud
registers its gateway's webhook route with a signing secret; localstripe then posts each event, signed
(``Stripe-Signature: t=...,v1=...``), about a second after it happens.
"""

from __future__ import annotations

import argparse
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field

import requests

ACCOUNT_ID = "acct_salonlocal"
WEBHOOK_PATH = "/payments/stripe/webhook"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class LocalStripe:
    """A running localstripe and the keys Salon uses with it (test keys: any ``sk_test_`` works)."""

    port: int
    process: subprocess.Popen[bytes]
    secret_key: str = field(default_factory=lambda: f"sk_test_{secrets.token_hex(12)}")
    publishable_key: str = field(default_factory=lambda: f"pk_test_{secrets.token_hex(12)}")
    webhook_secret: str = field(default_factory=lambda: f"whsec_{secrets.token_hex(16)}")
    account_id: str = ACCOUNT_ID

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @classmethod
    def start(cls, timeout_s: float = 20.0) -> LocalStripe:
        port = free_port()
        command = [sys.executable, "-m", "localcloud.stripe_server", "--port", str(port)]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        server = cls(port, process)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"localstripe exited with {process.returncode}")
            try:
                requests.get(f"{server.url}/v1/balance", auth=(server.secret_key, ""), timeout=1)
                return server
            except requests.ConnectionError:
                time.sleep(0.1)
        server.stop()
        raise RuntimeError("localstripe did not answer in time")

    def send_webhooks_to(self, gateway_url: str) -> None:
        """Register the gateway's webhook route: every event is posted there, signed with our secret."""
        response = requests.post(
            f"{self.url}/_config/webhooks/salon",
            data={"url": gateway_url.rstrip("/") + WEBHOOK_PATH, "secret": self.webhook_secret},
            auth=(self.secret_key, ""),
            timeout=10,
        )
        response.raise_for_status()

    def secret_value(self) -> dict[str, str]:
        """The template's StripeSecret, as production holds it."""
        return {
            "secret_key": self.secret_key,
            "webhook_secret": self.webhook_secret,
            "account_id": self.account_id,
        }

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m localcloud.stripe_server", description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    port = parser.parse_args(argv).port
    from localstripe import resources, server

    resources.Store.dump_to_disk = lambda self: None
    sys.argv = ["localstripe", "--port", str(port), "--from-scratch"]
    server.start()


if __name__ == "__main__":
    main()
