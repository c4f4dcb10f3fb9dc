"""`make bench`, checkout: card orders per second through the local gateway, each confirmed in
localstripe and paid by its signed webhook, and the oversell test: 200 concurrent buyers for 50 seats
(exactly 50 must hold one) with the order latency, plus the checkout function's package size."""

from __future__ import annotations

import secrets
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import stripe

from localcloud.api_client import ApiClient, UnexpectedStatus
from localcloud.bench import Latencies
from localcloud.demo import ORGANIZER, make_user, set_up_event, strong_password
from localcloud.demo_checkout import BILLING
from localcloud.demo_data import generate_companies, registration_payload
from localcloud.demo_invoices import set_seller
from localcloud.demo_requests import Campaign, Party
from localcloud.template import REPO_ROOT

CARD_ORDERS = 60
BUYERS = 200
SEATS = 50
BENCH_SEED = 1600


def _package(organizer: ApiClient, event_id: str, type_code: str) -> str:
    body = {
        "kind": "package",
        "name": {"fr": "Pack", "en": "Package"},
        "price_cents": 90_000,
        "meeting_quota": 12,
        "max_per_company": 1,
        "visible_to": [type_code],
    }
    return str(organizer.post(f"/events/{event_id}/products", body)["product_id"])


def package_kib() -> float:
    """The checkout function's own code (its CodeUri), the layer aside."""
    files = [p for p in (REPO_ROOT / "functions" / "checkout").rglob("*.py")]
    return sum(p.stat().st_size for p in files) / 1024


def section() -> list[str]:
    from localcloud import LocalCloud

    with LocalCloud.start(gateway_port=0) as cloud:
        run_id = secrets.token_hex(3)
        tenant_id = f"t-bench-co-{run_id}"
        gateway = ApiClient(cloud.gateway_url)
        organizer_user = make_user(cloud, f"bench.co.{run_id}@salon-bench.example.fr", ORGANIZER, tenant_id)
        organizer = gateway.as_user(organizer_user.token)
        event_id = set_up_event(organizer, datetime.now(UTC))
        set_seller(organizer)
        public = gateway.as_user(None)
        parties: list[Party] = []
        for company in generate_companies(BENCH_SEED, BUYERS + CARD_ORDERS, domain_label=f"benchco{run_id}"):
            body = public.register(event_id, registration_payload(company)).json
            organizer.decide(str(body["registration_id"]), "validate")
            parties.append(Party.of(str(body["registration_id"]), company))
        campaign = Campaign(cloud, gateway, event_id, tenant_id, strong_password)
        clients = [(party.type_code, campaign.as_company(party)) for party in parties]
        codes = sorted({code for code, _ in clients})
        open_packages = {code: _package(organizer, event_id, code) for code in codes}
        card = stripe.StripeClient(cloud.stripe.secret_key, base_addresses={"api": cloud.stripe.url})

        # Card orders: place, confirm in localstripe, then wait until the webhook marked every one paid.
        placed: list[tuple[str, ApiClient]] = []
        latencies: list[float] = []
        started = time.perf_counter()
        for code, api in clients[:CARD_ORDERS]:
            line = {"product_id": open_packages[code], "quantity": 1}
            body = {"lines": [line], "payment_method": "card", "billing": BILLING}
            response = api.request("POST", f"/events/{event_id}/orders", json=body, expected=(201,))
            latencies.append(response.elapsed_s)
            intent = str(response.json["payment_intent_id"])
            card.v1.payment_intents.update(intent, params={"payment_method": "pm_card_visa"})
            card.v1.payment_intents.confirm(intent)
            placed.append((str(response.json["order_id"]), api))
        waiting = dict(placed)
        while waiting:
            for order_id, api in list(waiting.items()):
                if api.get(f"/orders/{order_id}")["state"] == "paid":
                    del waiting[order_id]
            time.sleep(0.2)
        card_wall = time.perf_counter() - started
        cards = Latencies("card", latencies, card_wall)

        # Oversell: the other 200 companies want one of 50 seats (an option any type may buy), all at once.
        seat = {"kind": "option", "name": {"fr": "Place", "en": "Seat"}, "price_cents": 50_000}
        seat_id = str(
            organizer.post(f"/events/{event_id}/products", {**seat, "stock": SEATS, "max_per_company": 1})[
                "product_id"
            ]
        )
        contenders = clients[CARD_ORDERS:]

        def buy(api: ApiClient) -> tuple[int, float]:
            line = {"product_id": seat_id, "quantity": 1}
            body = {"lines": [line], "payment_method": "card", "billing": BILLING}
            try:
                response = api.request("POST", f"/events/{event_id}/orders", json=body, expected=(201,))
            except UnexpectedStatus as refused:
                return refused.status, 0.0
            return 201, response.elapsed_s

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=32) as pool:
            outcomes = list(pool.map(buy, [api for _, api in contenders]))
        oversell_wall = time.perf_counter() - started
        statuses = Counter(status for status, _ in outcomes)
        winners = Latencies("oversell", [s for status, s in outcomes if status == 201], oversell_wall)
        products = organizer.get(f"/events/{event_id}/products")["items"]
        sold = next(int(p["sold"]) for p in products if p["product_id"] == seat_id)

    return [
        "## Checkout",
        "",
        f"Card orders through the gateway, each confirmed in localstripe and paid by its signed webhook: "
        f"{CARD_ORDERS} orders paid in {card_wall:.1f} s = **{CARD_ORDERS / card_wall:.1f} paid orders/s** "
        f"(placing an order: p50 {cards.p(0.5) * 1000:.0f} ms, p95 {cards.p(0.95) * 1000:.0f} ms; "
        "localstripe posts each webhook about 1 s after the payment).",
        "",
        f"Oversell: {len(contenders)} concurrent buyers (32 threads) for {SEATS} seats: "
        f"answers {dict(sorted(statuses.items()))}, units held {sold} (must be {SEATS}); "
        f"p95 latency of the winning orders {winners.p(0.95) * 1000:.0f} ms, wall {oversell_wall:.1f} s.",
        "",
        f"Checkout function code (functions/checkout, the salon layer aside): {package_kib():.1f} KiB.",
    ]
