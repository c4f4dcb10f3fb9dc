"""Checkout over HTTP through the local gateway: products, orders holding stock, card payments through
localstripe and its signed webhooks, offline payments, refunds, promo codes."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from checkout_world import BILLING, Shop, open_shop, signed
from salon.kernel import keys
from salon.kernel.dynamo import Table

pytestmark = pytest.mark.e2e
WEBHOOK = "/payments/stripe/webhook"


@pytest.fixture
def shop(cloud: Any, user_factory: Any) -> Shop:
    return open_shop(cloud, user_factory)


def meeting_quota(shop: Shop, registration_id: str) -> int | None:
    item = Table(shop.cloud.resources.table_name).get(
        keys.event_pk(shop.tenant_id, shop.event_id), keys.meeting_quota_sk(registration_id)
    )
    return None if item is None else int(item["meeting_quota"])


def sold(shop: Shop) -> int:
    products = shop.organizer.api.get(f"/events/{shop.event_id}/products").json()["items"]
    return int(next(p["sold"] for p in products if p["product_id"] == shop.package_id))


def test_participants_see_the_products_of_their_type_only(shop: Shop) -> None:
    buyer, supplier = shop.new_company("buyer"), shop.new_company("supplier")
    assert {p["product_id"] for p in buyer.api.get(f"/events/{shop.event_id}/products").json()["items"]} == {
        shop.package_id,
        shop.lunch_id,
    }
    assert [
        p["product_id"] for p in supplier.api.get(f"/events/{shop.event_id}/products").json()["items"]
    ] == [shop.lunch_id]
    refused = shop.order(supplier)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "lines[0].product_id"


def test_a_card_order_is_paid_only_by_stripes_webhook_and_gives_the_meeting_quota(shop: Shop) -> None:
    company = shop.new_company()
    placed = shop.order(
        company,
        lines=[{"product_id": shop.package_id, "quantity": 1}, {"product_id": shop.lunch_id, "quantity": 2}],
    )
    assert placed.status_code == 201, placed.text
    body = placed.json()
    assert body["state"] == "pending" and body["client_secret"].startswith(body["payment_intent_id"])
    assert body["total"]["net_cents"] == 96_000
    assert body["total"]["vat_cents"] == 18_000 + 600
    assert body["total"]["gross_cents"] == 114_600
    assert sold(shop) == 1
    assert company.api.get(f"/orders/{body['order_id']}").json()["state"] == "pending"

    shop.pay_by_card(body["payment_intent_id"])

    order = shop.wait_for_state(company.api, body["order_id"], "paid")
    assert order["state"] == "paid" and order["paid_cents"] == 114_600
    assert meeting_quota(shop, company.registration_id) == 12
    mine = company.api.get("/me/orders").json()["items"]
    assert [o["order_id"] for o in mine] == [body["order_id"]]


def test_the_per_company_maximum_and_a_validated_registration_are_required(shop: Shop) -> None:
    company = shop.new_company()
    assert shop.order(company, "transfer").status_code == 201
    again = shop.order(company, "transfer")
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "lines[0].quantity"
    submitted = shop.new_company(state="submitted")
    assert shop.order(submitted, "transfer").status_code == 409


def test_offline_payments_add_up_to_paid_and_a_refund_gives_the_seat_back(shop: Shop) -> None:
    company = shop.new_company()
    placed = shop.order(
        company,
        "transfer",
        billing={
            "company_name": "Acme SAS",
            "address_lines": ["1 rue de la Paix"],
            "postcode": "75002",
            "city": "Paris",
            "country": "FR",
            "vat_number": "FR40303265045",
        },
    ).json()
    order_id, total = placed["order_id"], placed["total"]["gross_cents"]
    path = f"/orders/{order_id}/payments"
    first = shop.organizer.api.post(
        path, json={"amount_cents": 50_000, "received_on": "2026-03-02", "reference": "VIR-1"}
    )
    assert first.status_code == 201 and first.json()["state"] == "pending"
    too_much = shop.organizer.api.post(
        path, json={"amount_cents": total, "received_on": "2026-03-02", "reference": "VIR-2"}
    )
    assert too_much.status_code == 422 and too_much.json()["errors"][0]["field"] == "amount_cents"
    assert (
        company.api.post(
            path, json={"amount_cents": 1, "received_on": "2026-03-02", "reference": "x"}
        ).status_code
        == 403
    )
    rest = shop.organizer.api.post(
        path, json={"amount_cents": total - 50_000, "received_on": "2026-03-03", "reference": "VIR-2"}
    )
    assert rest.status_code == 201 and rest.json()["state"] == "paid"
    assert meeting_quota(shop, company.registration_id) == 12
    assert sold(shop) == 1
    assert company.api.get("/me").status_code == 200  # the counters in its partitions are typed items

    refunded = shop.organizer.api.post(
        f"/orders/{order_id}/refunds", json={"reason": "cancelled participation"}
    )

    assert refunded.status_code == 201 and refunded.json()["state"] == "refunded"
    assert refunded.json()["refunded_cents"] == total
    assert sold(shop) == 0 and meeting_quota(shop, company.registration_id) == 0
    assert shop.order(company, "transfer").status_code == 201  # the company may buy again


def test_a_card_refund_goes_through_stripe(shop: Shop) -> None:
    company = shop.new_company()
    body = shop.order(company).json()
    shop.pay_by_card(body["payment_intent_id"])
    shop.wait_for_state(company.api, body["order_id"], "paid")

    partial = shop.organizer.api.post(
        f"/orders/{body['order_id']}/refunds", json={"amount_cents": 10_800, "reason": "one lunch less"}
    )

    assert partial.status_code == 201 and partial.json()["state"] == "paid"
    refunds = shop.stripe_client().v1.refunds.list(params={"limit": 100}).data
    assert [r.amount for r in refunds if r.payment_intent == body["payment_intent_id"]] == [10_800]


def test_a_promo_code_is_never_used_more_than_its_maximum(shop: Shop) -> None:
    made = shop.organizer.api.post(
        f"/events/{shop.event_id}/promo-codes",
        json={"code": "EARLY10", "kind": "percent", "value": 10, "max_uses": 1},
    )
    assert made.status_code == 201, made.text
    first, second = shop.new_company(), shop.new_company()
    used = shop.order(first, "transfer", promo_code="EARLY10")
    assert used.status_code == 201 and used.json()["total"]["net_cents"] == 81_000
    refused = shop.order(second, "transfer", promo_code="EARLY10")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "promo_code"
    cancelled = first.api.post(f"/orders/{used.json()['order_id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    assert shop.order(second, "transfer", promo_code="EARLY10").status_code == 201


# ---------------------------------------------------------------- the webhook


def succeeded(shop: Shop, body: dict[str, Any], event_id: str | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "id": event_id or f"evt_{uuid.uuid4().hex[:20]}",
        "object": "event",
        "type": "payment_intent.succeeded",
        "created": 1,
        "data": {
            "object": {
                "id": body["payment_intent_id"],
                "object": "payment_intent",
                "amount": body["total"]["gross_cents"],
                "amount_received": body["total"]["gross_cents"],
                "currency": "eur",
                "status": "succeeded",
                "metadata": {"tenant_id": shop.tenant_id, "order_id": body["order_id"]},
            }
        },
        **extra,
    }


def test_a_forged_or_stale_signature_is_refused_and_changes_nothing(shop: Shop, api: Any) -> None:
    company = shop.new_company()
    body = shop.order(company).json()
    event = succeeded(shop, body)
    forged = api.post(WEBHOOK, **signed(shop.cloud, event, secret="whsec_not_ours"))
    stale = api.post(WEBHOOK, **signed(shop.cloud, event, at=1_000_000_000))
    unsigned = api.post(WEBHOOK, json=event)
    assert [r.status_code for r in (forged, stale, unsigned)] == [422, 422, 422]
    assert forged.json()["errors"][0]["field"] == "Stripe-Signature"
    assert company.api.get(f"/orders/{body['order_id']}").json()["state"] == "pending"


def test_a_replayed_event_is_processed_once(shop: Shop, api: Any) -> None:
    company = shop.new_company()
    body = shop.order(company).json()
    delivery = signed(shop.cloud, succeeded(shop, body))
    first, replay = api.post(WEBHOOK, **delivery), api.post(WEBHOOK, **delivery)
    assert (first.status_code, first.json()["outcome"]) == (200, "processed")
    assert (replay.status_code, replay.json()["outcome"]) == (200, "replayed")
    order = company.api.get(f"/orders/{body['order_id']}").json()
    assert order["state"] == "paid" and order["paid_cents"] == body["total"]["gross_cents"]


def test_an_event_of_another_account_is_ignored(shop: Shop, api: Any) -> None:
    company = shop.new_company()
    body = shop.order(company).json()
    answer = api.post(WEBHOOK, **signed(shop.cloud, succeeded(shop, body, account="acct_someone_else")))
    assert (answer.status_code, answer.json()["outcome"]) == (200, "ignored")
    assert company.api.get(f"/orders/{body['order_id']}").json()["state"] == "pending"


def test_succeeded_before_created_leaves_the_order_paid(shop: Shop, api: Any) -> None:
    company = shop.new_company()
    body = shop.order(company).json()
    created = succeeded(shop, body)
    created["type"] = "payment_intent.created"
    assert api.post(WEBHOOK, **signed(shop.cloud, succeeded(shop, body))).json()["outcome"] == "processed"
    assert api.post(WEBHOOK, **signed(shop.cloud, created)).json()["outcome"] == "processed"
    assert company.api.get(f"/orders/{body['order_id']}").json()["state"] == "paid"


def test_a_refund_before_its_payment_ends_the_order_refunded(shop: Shop, api: Any) -> None:
    company = shop.new_company()
    body = shop.order(company).json()
    total = body["total"]["gross_cents"]
    refund = {
        "id": f"evt_{uuid.uuid4().hex[:20]}",
        "object": "event",
        "type": "charge.refunded",
        "data": {
            "object": {
                "id": "ch_test",
                "object": "charge",
                "payment_intent": body["payment_intent_id"],
                "amount_refunded": total,
                "metadata": {"tenant_id": shop.tenant_id, "order_id": body["order_id"]},
            }
        },
    }
    assert api.post(WEBHOOK, **signed(shop.cloud, refund)).json()["outcome"] == "processed"
    assert company.api.get(f"/orders/{body['order_id']}").json()["state"] == "pending"
    assert api.post(WEBHOOK, **signed(shop.cloud, succeeded(shop, body))).json()["outcome"] == "processed"
    order = company.api.get(f"/orders/{body['order_id']}").json()
    assert (order["state"], order["refunded_cents"], order["paid_cents"]) == ("refunded", total, total)
    assert sold(shop) == 0 and meeting_quota(shop, company.registration_id) is None


def test_an_organisers_read_of_an_order_is_audited_a_buyers_is_not(shop: Shop, user_factory: Any) -> None:
    company = shop.new_company()
    order_id = shop.order(company, "transfer").json()["order_id"]
    assert company.api.get(f"/orders/{order_id}").status_code == 200
    other = shop.new_company()
    assert other.api.get(f"/orders/{order_id}").status_code == 404
    dpo = user_factory("dpo", shop.tenant_id)
    trail = dpo.api.get("/audit", params={"subject_id": company.registration_id}).json()["items"]
    assert trail == []

    assert shop.organizer.api.get(f"/orders/{order_id}").json()["billing"]["company_name"]

    trail = dpo.api.get("/audit", params={"subject_id": company.registration_id}).json()["items"]
    assert [(r["action"], r["actor_role"]) for r in trail] == [("order.read", "organizer")]


def test_a_card_order_paid_through_the_webhook_is_invoiced(shop: Shop) -> None:
    company = shop.new_company()
    body = shop.order(company).json()
    shop.pay_by_card(body["payment_intent_id"])
    shop.wait_for_state(company.api, body["order_id"], "paid")

    (invoice,) = shop.invoices(company, 1)

    assert (invoice["order_id"], invoice["kind"]) == (body["order_id"], "invoice")
    assert invoice["gross_cents"] == body["total"]["gross_cents"] and invoice["due_date"] is None


def test_a_transfer_order_is_invoiced_at_placement_with_its_due_date_and_a_refund_credited(
    shop: Shop,
) -> None:
    company = shop.new_company()
    placed = shop.order(company, "transfer").json()
    (invoice,) = shop.invoices(company, 1)
    assert invoice["order_id"] == placed["order_id"] and invoice["due_date"] is not None
    total = placed["total"]["gross_cents"]
    paid = shop.organizer.api.post(
        f"/orders/{placed['order_id']}/payments",
        json={"amount_cents": total, "received_on": "2026-03-02", "reference": "VIR-1"},
    )
    assert paid.status_code == 201 and paid.json()["state"] == "paid"

    refunded = shop.organizer.api.post(
        f"/orders/{placed['order_id']}/refunds", json={"amount_cents": 12_000, "reason": "one seat less"}
    )

    assert refunded.status_code == 201
    items = shop.invoices(company, 2)
    assert [i["kind"] for i in items] == ["invoice", "credit_note"]
    assert items[1]["credited_invoice_id"] == invoice["invoice_id"] and items[1]["gross_cents"] == 12_000


def test_an_order_needs_a_billing_address_a_valid_vat_number_and_the_sellers_details(
    shop: Shop,
) -> None:
    company = shop.new_company()
    missing = shop.order(company, "transfer", billing={"company_name": "Acme", "country": "FR"})
    assert missing.status_code == 422
    assert missing.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in missing.json()["errors"]] == [
        "billing.address_lines",
        "billing.postcode",
        "billing.city",
    ]
    bad_vat = shop.order(company, "transfer", billing=BILLING | {"country": "DE", "vat_number": "DE123"})
    assert bad_vat.status_code == 422 and [e["field"] for e in bad_vat.json()["errors"]] == [
        "billing.vat_number"
    ]
    no_billing = company.api.post(
        f"/events/{shop.event_id}/orders",
        json={"lines": [{"product_id": shop.package_id, "quantity": 1}], "payment_method": "transfer"},
    )
    assert no_billing.status_code == 422 and no_billing.json()["errors"][0]["field"] == "billing"

    Table(shop.cloud.resources.table_name).delete(keys.seller_pk(shop.tenant_id), keys.SELLER_SK)
    no_seller = shop.order(company, "transfer")
    assert no_seller.status_code == 409 and "seller details" in no_seller.json()["detail"]


def test_a_transfer_order_cancelled_unpaid_is_credited_in_full(shop: Shop) -> None:
    company = shop.new_company()
    placed = shop.order(company, "transfer").json()
    (invoice,) = shop.invoices(company, 1)

    assert company.api.post(f"/orders/{placed['order_id']}/cancel").status_code == 200

    items = shop.invoices(company, 2)
    assert [i["kind"] for i in items] == ["invoice", "credit_note"]
    assert items[1]["credited_invoice_id"] == invoice["invoice_id"]
    assert items[1]["gross_cents"] == invoice["gross_cents"]
