"""Deposits over HTTP through the local gateway: the organiser's terms, a card order paid in two
instalments through localstripe (deposit -> partially paid -> balance -> paid), its deposit invoice
(Factur-X type 386) and final invoice (naming it), a refund credited on both, and an offline deposit."""

from __future__ import annotations

import uuid
from typing import Any

import facturx
import pytest
import requests
from checkout_world import Company, Shop, open_shop, signed
from lxml import etree
from salon.checkout.invoicing.domain import cii
from salon.kernel import keys
from salon.kernel.dynamo import Table

pytestmark = pytest.mark.e2e
WEBHOOK = "/payments/stripe/webhook"


@pytest.fixture
def shop(cloud: Any, user_factory: Any) -> Shop:
    return open_shop(cloud, user_factory)


def facturx_xml(company: Company, invoice_id: str) -> etree._Element:
    """The CII XML embedded in the invoice's Factur-X, downloaded as the participant downloads it."""
    link = company.api.get(f"/invoices/{invoice_id}/document", params={"format": "facturx"})
    assert link.status_code == 200, link.text
    _, xml = facturx.get_facturx_xml_from_pdf(requests.get(link.json()["url"], timeout=10).content)
    return etree.fromstring(xml)


def allow_deposits(shop: Shop) -> None:
    path = f"/events/{shop.event_id}"
    nonsense = shop.organizer.api.patch(path, json={"deposit": {"percent": 120, "balance_due_days": 7}})
    assert nonsense.status_code == 422 and nonsense.json()["errors"][0]["field"] == "deposit.percent"
    allowed = shop.organizer.api.patch(path, json={"deposit": {"percent": 30, "balance_due_days": 7}})
    assert allowed.status_code == 200 and allowed.json()["deposit"] == {"percent": 30, "balance_due_days": 7}


def test_a_card_order_paid_by_deposit_then_balance_gets_a_deposit_and_a_final_invoice(shop: Shop) -> None:
    company = shop.new_company()
    refused = shop.order(company, payment_schedule="deposit")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "payment_schedule"
    allow_deposits(shop)

    placed = shop.order(company, payment_schedule="deposit")
    assert placed.status_code == 201, placed.text
    body = placed.json()
    order_id = body["order_id"]
    assert body["total"]["gross_cents"] == 108_000
    assert [(i["part"], i["amount_cents"], i["state"]) for i in body["instalments"]] == [
        ("deposit", 32_400, "due"),
        ("balance", 75_600, "due"),
    ]
    early = company.api.post(f"/orders/{order_id}/instalments/balance/pay")
    assert early.status_code == 409

    shop.pay_by_card(body["payment_intent_id"])
    order = shop.wait_for_state(company.api, order_id, "partially_paid")
    assert order["state"] == "partially_paid" and order["paid_cents"] == 32_400
    assert [i["state"] for i in order["instalments"]] == ["paid", "due"]

    balance = company.api.post(f"/orders/{order_id}/instalments/balance/pay")
    assert balance.status_code == 200, balance.text
    intent = balance.json()
    assert intent["amount_cents"] == 75_600 and intent["client_secret"].startswith(
        intent["payment_intent_id"]
    )
    again = company.api.post(f"/orders/{order_id}/instalments/balance/pay").json()
    assert again["payment_intent_id"] == intent["payment_intent_id"]

    shop.pay_by_card(intent["payment_intent_id"])
    order = shop.wait_for_state(company.api, order_id, "paid")
    assert order["state"] == "paid" and order["paid_cents"] == 108_000
    mine = company.api.get("/me/orders").json()["items"]
    assert [i["state"] for i in mine[0]["instalments"]] == ["paid", "paid"]

    invoices = shop.invoices(company, 2)
    assert [(i["kind"], i["gross_cents"]) for i in invoices] == [
        ("deposit_invoice", 32_400),
        ("invoice", 75_600),
    ]
    assert invoices[0]["number"] < invoices[1]["number"]
    deposit_xml, final_xml = (facturx_xml(company, i["invoice_id"]) for i in invoices)
    assert deposit_xml.findtext("rsm:ExchangedDocument/ram:TypeCode", namespaces=cii.NSMAP) == "386"
    assert final_xml.findtext("rsm:ExchangedDocument/ram:TypeCode", namespaces=cii.NSMAP) == "380"
    preceding = final_xml.findtext(
        ".//ram:InvoiceReferencedDocument/ram:IssuerAssignedID", namespaces=cii.NSMAP
    )
    assert preceding == invoices[0]["number"]

    refunded = shop.organizer.api.post(f"/orders/{order_id}/refunds", json={"reason": "cancelled"})
    assert refunded.status_code == 201, refunded.text
    assert refunded.json()["state"] == "refunded" and refunded.json()["refunded_cents"] == 108_000
    documents = shop.invoices(company, 4)
    notes = {d["credited_invoice_id"]: d["gross_cents"] for d in documents if d["kind"] == "credit_note"}
    assert notes == {invoices[0]["invoice_id"]: 32_400, invoices[1]["invoice_id"]: 75_600}


def test_offline_payments_cover_the_deposit_first(shop: Shop) -> None:
    allow_deposits(shop)
    company = shop.new_company()
    placed = shop.order(company, "transfer", payment_schedule="deposit").json()
    path = f"/orders/{placed['order_id']}/payments"
    deposit = shop.organizer.api.post(
        path, json={"amount_cents": 32_400, "received_on": "2026-03-02", "reference": "VIR-1"}
    )
    assert deposit.status_code == 201 and deposit.json()["state"] == "partially_paid"
    assert [i["state"] for i in deposit.json()["instalments"]] == ["paid", "due"]
    by_card = company.api.post(f"/orders/{placed['order_id']}/instalments/balance/pay")
    assert by_card.status_code == 409
    invoices = shop.invoices(company, 1)
    assert [(i["kind"], i["gross_cents"], i["due_date"]) for i in invoices] == [
        ("deposit_invoice", 32_400, None)
    ]
    rest = shop.organizer.api.post(
        path, json={"amount_cents": 75_600, "received_on": "2026-03-20", "reference": "VIR-2"}
    )
    assert rest.status_code == 201 and rest.json()["state"] == "paid"


def stripe_event(shop: Shop, body: dict[str, Any], kind: str, obj: dict[str, Any]) -> dict[str, Any]:
    metadata = {"tenant_id": shop.tenant_id, "order_id": body["order_id"]}
    return {
        "id": f"evt_{uuid.uuid4().hex[:20]}",
        "object": "event",
        "type": kind,
        "data": {"object": {"currency": "eur", "metadata": metadata, **obj}},
    }


def test_the_webhook_pays_the_deposit_only_for_its_amount_and_credits_refunds_per_intent(
    shop: Shop, api: Any
) -> None:
    allow_deposits(shop)
    company = shop.new_company()
    body = shop.order(company, payment_schedule="deposit").json()
    intent = {"id": body["payment_intent_id"], "object": "payment_intent", "status": "succeeded"}

    def paid(amount: int) -> dict[str, Any]:
        return stripe_event(shop, body, "payment_intent.succeeded", intent | {"amount_received": amount})

    assert api.post(WEBHOOK, **signed(shop.cloud, paid(108_000))).json()["outcome"] == "processed"
    assert company.api.get(f"/orders/{body['order_id']}").json()["state"] == "pending"
    delivery = signed(shop.cloud, paid(32_400))
    assert api.post(WEBHOOK, **delivery).json()["outcome"] == "processed"
    assert api.post(WEBHOOK, **delivery).json()["outcome"] == "replayed"
    order = company.api.get(f"/orders/{body['order_id']}").json()
    assert (order["state"], order["paid_cents"]) == ("partially_paid", 32_400)
    quota = Table(shop.cloud.resources.table_name).get(
        keys.event_pk(shop.tenant_id, shop.event_id), keys.meeting_quota_sk(company.registration_id)
    )
    assert quota is not None and int(quota["meeting_quota"]) == 12

    charge = {"id": "ch_dep", "object": "charge", "payment_intent": body["payment_intent_id"]}
    for _ in range(2):  # the same refund told twice changes the order once
        refunded = stripe_event(shop, body, "charge.refunded", charge | {"amount_refunded": 10_000})
        assert api.post(WEBHOOK, **signed(shop.cloud, refunded)).json()["outcome"] == "processed"
    order = company.api.get(f"/orders/{body['order_id']}").json()
    assert (order["state"], order["refunded_cents"]) == ("partially_paid", 10_000)
