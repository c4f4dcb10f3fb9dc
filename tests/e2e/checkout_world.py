"""A shop for the checkout tests: an event (prices excluding VAT) selling a buyer package with a stock,
and companies whose participants are signed in over HTTP."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
import stripe
from localcloud.invoice_samples import SELLER
from salon.kernel.dynamo import Table
from salon.registration.adapters.submissions_repo import SubmissionsRepository

NOW = datetime.now(UTC)
BILLING = {
    "company_name": "Acme SAS",
    "address_lines": ["1 rue de la Paix"],
    "postcode": "75002",
    "city": "Paris",
    "country": "FR",
}


@dataclass(frozen=True)
class Company:
    registration_id: str
    api: Any  # the participant's authenticated client


@dataclass(frozen=True)
class Shop:
    tenant_id: str
    event_id: str
    organizer: Any
    package_id: str
    lunch_id: str
    new_company: Callable[..., Company]
    cloud: Any

    def order(self, company: Company, payment_method: str = "card", **body: Any) -> requests.Response:
        lines = body.pop("lines", [{"product_id": self.package_id, "quantity": 1}])
        body = {"lines": lines, "payment_method": payment_method, "billing": BILLING, **body}
        return company.api.post(f"/events/{self.event_id}/orders", json=body)

    def invoices(self, company: Company, count: int, timeout_s: float = 60) -> list[dict[str, Any]]:
        """The company's invoices and credit notes once the invoicer has issued ``count`` of them."""
        deadline = time.monotonic() + timeout_s
        while True:
            items = list(company.api.get("/me/invoices").json()["items"])
            if len(items) >= count or time.monotonic() > deadline:
                return items
            time.sleep(0.3)

    def stripe_client(self) -> stripe.StripeClient:
        local = self.cloud.stripe
        return stripe.StripeClient(local.secret_key, base_addresses={"api": local.url})

    def pay_by_card(self, payment_intent_id: str) -> None:
        """What the buyer's browser does with the client secret: a test card, then confirm."""
        client = self.stripe_client()
        client.v1.payment_intents.update(payment_intent_id, params={"payment_method": "pm_card_visa"})
        client.v1.payment_intents.confirm(payment_intent_id)

    def wait_for_state(self, api: Any, order_id: str, state: str, timeout_s: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + timeout_s
        while True:
            order = api.get(f"/orders/{order_id}").json()
            if order.get("state") == state or time.monotonic() > deadline:
                return dict(order)
            time.sleep(0.3)


def open_shop(cloud: Any, user_factory: Any, stock: int = 50) -> Shop:
    tenant_id = f"tenant-{uuid.uuid4().hex[:8]}"
    organizer = user_factory("organizer", tenant_id)
    created = organizer.api.post(
        "/events",
        json={
            "name": {"fr": "Salon"},
            "starts_at": (NOW + timedelta(days=30)).isoformat(),
            "ends_at": (NOW + timedelta(days=31)).isoformat(),
            "time_zone": "Europe/Paris",
        },
    )
    assert created.status_code == 201, created.text
    event_id = created.json()["event_id"]
    for code in ("buyer", "supplier"):
        made = organizer.api.post(
            f"/events/{event_id}/types",
            json={"code": code, "labels": {"fr": code, "en": code}, "can_see": [], "can_request": []},
        )
        assert made.status_code == 201, made.text
    package = organizer.api.post(
        f"/events/{event_id}/products",
        json={
            "kind": "package",
            "name": {"fr": "Pack acheteur", "en": "Buyer package"},
            "price_cents": 90_000,
            "vat_rate": "20.0",
            "participants_included": 2,
            "meeting_quota": 12,
            "stock": stock,
            "max_per_company": 1,
            "visible_to": ["buyer"],
        },
    )
    assert package.status_code == 201, package.text
    lunch = organizer.api.post(
        f"/events/{event_id}/products",
        json={
            "kind": "option",
            "name": {"fr": "Déjeuner", "en": "Lunch"},
            "price_cents": 3_000,
            "vat_rate": "10",
        },
    )
    assert lunch.status_code == 201, lunch.text
    seller = organizer.api.put("/tenant/seller", json=SELLER.model_dump(mode="json"))
    assert seller.status_code == 200, seller.text
    regs = SubmissionsRepository(Table(cloud.resources.table_name))

    def new_company(type_: str = "buyer", state: str = "validated") -> Company:
        rid, pid = f"reg_{uuid.uuid4().hex}", f"par_{uuid.uuid4().hex}"
        person = {
            "participant_id": pid,
            "registration_id": rid,
            "event_id": event_id,
            "position": 0,
            "email": f"{pid}@example.test",
            "account_status": "active",
            "first_name": "Ada",
            "last_name": "Buyer",
        }
        regs.create(
            tenant_id,
            {
                "registration_id": rid,
                "event_id": event_id,
                "type": type_,
                "state": state,
                "company_name": f"Company {rid[-4:]}",
                "country": "FR",
                "participant_ids": [pid],
                "created_at": NOW.isoformat(),
            },
            [person],
        )
        user = user_factory("participant", tenant_id)
        regs.link_user(tenant_id, user.sub, person)
        return Company(rid, user.api)

    return Shop(
        tenant_id,
        event_id,
        organizer,
        package.json()["product_id"],
        lunch.json()["product_id"],
        new_company,
        cloud,
    )


def signed(
    cloud: Any, event: dict[str, Any], *, secret: str | None = None, at: int | None = None
) -> dict[str, Any]:
    """A webhook delivery as Stripe sends it: the JSON body and its Stripe-Signature header."""
    payload = json.dumps(event)
    timestamp = int(time.time()) if at is None else at
    key = (secret or cloud.stripe.webhook_secret).encode()
    signature = hmac.new(key, f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return {
        "data": payload,
        "headers": {"Content-Type": "application/json", "Stripe-Signature": f"t={timestamp},v1={signature}"},
    }
