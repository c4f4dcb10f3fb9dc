"""Orders against the local cloud: 200 concurrent buyers for 50 seats, the unpaid-order sweep giving
stock and promo uses back, what one order costs in DynamoDB calls, and the retention sweep
pseudonymising an order's records 5 years on."""

from __future__ import annotations

import json
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from localcloud.invoice_samples import SELLER
from localcloud.sweep import run_sweep
from salon.checkout import deps
from salon.checkout.domain.orders import OrderInput
from salon.checkout.domain.payments import PaymentInput, RefundInput
from salon.checkout.domain.products import ProductInput
from salon.checkout.domain.promo import PromoInput
from salon.checkout.invoicing.adapters.invoice_store import InvoiceStore
from salon.checkout.invoicing.domain.invoice import IssuedInvoice
from salon.checkout.services import catalogue, expiry, orders, payments
from salon.dsar.adapters.retention_store import RetentionStore
from salon.dsar.domain.pseudonyms import pseudonym
from salon.kernel import keys, platform
from salon.kernel.caller import Caller
from salon.kernel.dynamo import Table
from salon.kernel.errors import Conflict, SalonError
from salon.kernel.principal import Principal
from salon.kernel.values import iso
from salon.registration.adapters.submissions_repo import SubmissionsRepository
from salon.registration.domain.events import Event
from stored_event import event_in_a_new_tenant

pytestmark = pytest.mark.integration
NOW = datetime.now(UTC)
BILLING = {
    "company_name": "Acme",
    "address_lines": ["1 rue de la Paix"],
    "postcode": "75002",
    "city": "Paris",
    "country": "FR",
}


def caller_for(tenant_id: str, role: str) -> Caller:
    return Caller(Principal(f"sub-{uuid.uuid4().hex[:8]}", tenant_id, frozenset({role})), "req-test")


@dataclass(frozen=True)
class Market:
    tenant_id: str
    event: Event
    organizer: Caller
    new_buyer: Callable[[], Caller]


@pytest.fixture
def market(cloud: Any) -> Market:
    table = Table(cloud.resources.table_name)
    regs = SubmissionsRepository(table)
    event = event_in_a_new_tenant(table)
    tenant_id = event.tenant_id
    InvoiceStore(table).put_seller(tenant_id, SELLER, "sub-organizer", NOW.isoformat())

    def new_buyer() -> Caller:
        rid, pid = f"reg_{uuid.uuid4().hex}", f"par_{uuid.uuid4().hex}"
        person = {"participant_id": pid, "registration_id": rid, "event_id": event.event_id, "position": 0}
        registration = {
            "registration_id": rid,
            "event_id": event.event_id,
            "type": "buyer",
            "state": "validated",
            "company_name": f"Company {rid[-4:]}",
            "participant_ids": [pid],
            "created_at": NOW.isoformat(),
        }
        regs.create(
            tenant_id, registration, [{**person, "email": f"{pid}@example.test", "account_status": "active"}]
        )
        caller = caller_for(tenant_id, "participant")
        assert caller.principal is not None
        regs.link_user(tenant_id, caller.principal.sub, person)
        return caller

    return Market(tenant_id, event, caller_for(tenant_id, "organizer"), new_buyer)


def seats(market: Market, stock: int) -> str:
    body = ProductInput.model_validate(
        {
            "kind": "package",
            "name": {"fr": "Pack"},
            "price_cents": 50_000,
            "stock": stock,
            "visible_to": ["buyer"],
        }
    )
    return catalogue.create_product(market.organizer, market.event.event_id, body).product_id


def place(market: Market, buyer: Caller, product_id: str, method: str = "transfer", **extra: Any) -> Any:
    line = {"product_id": product_id, "quantity": 1}
    body = OrderInput.model_validate({"lines": [line], "payment_method": method, "billing": BILLING, **extra})
    return orders.place(buyer, orders.PlaceOrder(event_id=market.event.event_id, **body.model_dump()))


def sold(market: Market, product_id: str) -> int:
    products = deps.get().orders.products(market.tenant_id, market.event.event_id)
    return next(p.sold for p in products if p.product_id == product_id)


def test_two_hundred_concurrent_buyers_for_fifty_seats_make_exactly_fifty_orders(market: Market) -> None:
    product_id = seats(market, 50)
    buyers = [market.new_buyer() for _ in range(200)]

    def attempt(buyer: Caller) -> str:
        try:
            return place(market, buyer, product_id).state
        except SalonError as refused:
            return type(refused).__name__

    with ThreadPoolExecutor(max_workers=32) as pool:
        outcomes = Counter(pool.map(attempt, buyers))

    assert outcomes == {"pending": 50, "Conflict": 150}
    assert sold(market, product_id) == 50


@pytest.fixture
def later(market: Market) -> Iterator[Callable[[timedelta], None]]:
    """Move the checkout's clock forward (the sweep's "now")."""
    real = platform.get()

    def move(by: timedelta) -> None:
        platform.override(replace(real, clock=lambda: datetime.now(UTC) + by))

    yield move
    platform.override(None)


def test_the_sweep_expires_unpaid_orders_and_gives_seats_and_promo_uses_back(
    market: Market, later: Callable[[timedelta], None]
) -> None:
    product_id = seats(market, 2)
    catalogue.create_promo(
        market.organizer,
        market.event.event_id,
        PromoInput.model_validate({"code": "ONCE", "kind": "amount", "value": 5_000, "max_uses": 1}),
    )
    by_card = place(market, market.new_buyer(), product_id, "card", promo_code="ONCE")
    by_cheque = place(market, market.new_buyer(), product_id, "cheque")
    with pytest.raises(Conflict):
        place(market, market.new_buyer(), product_id)

    def state(order_id: str) -> str:
        stored = deps.get().orders.get(market.tenant_id, order_id)
        assert stored is not None
        return stored.order.state

    later(timedelta(minutes=31))
    assert expiry.sweep_unpaid_orders().expired >= 1  # the index holds every tenant's orders
    assert (state(by_card.order_id), state(by_cheque.order_id)) == ("expired", "pending")
    assert sold(market, product_id) == 1
    later(timedelta(days=15))
    assert expiry.sweep_unpaid_orders().expired >= 1
    assert state(by_cheque.order_id) == "expired"
    assert sold(market, product_id) == 0
    orders_repo = deps.get().orders
    promo = orders_repo.promo(market.tenant_id, market.event.event_id, "ONCE")
    assert promo is not None and promo.uses == 0
    intent = market_stripe_status(by_card.payment_intent_id)
    assert intent == "canceled"
    assert expiry.sweep_unpaid_orders().expired == 0  # the index no longer lists them


def market_stripe_status(payment_intent_id: str | None) -> str:
    assert payment_intent_id is not None
    gateway = deps.get().stripe
    return str(gateway._client().v1.payment_intents.retrieve(payment_intent_id).status)


def invoices_of(market: Market, order_id: str) -> list[IssuedInvoice]:
    store = InvoiceStore(deps.get().platform.table)
    return sorted(
        (i for i in store.of_event(market.tenant_id, market.event.event_id) if i.order_id == order_id),
        key=lambda i: i.number,
    )


def wait_for(check: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the invoicer did not get there in time"
        time.sleep(0.1)


def redeliver(cloud: Any, market: Market, order_id: str, detail_type: str) -> None:
    """What a second delivery of the rule looks like to the invoicer: a new message and dedupe id."""
    sqs = cloud.client("sqs")
    url = sqs.get_queue_url(QueueName=cloud.resources.physical_ids["InvoicerQueue"].rsplit("/", 1)[-1])
    detail = {"tenant_id": market.tenant_id, "dedupe_id": uuid.uuid4().hex, "order_id": order_id}
    message = {
        "id": uuid.uuid4().hex,
        "detail-type": detail_type,
        "source": "salon.checkout",
        "time": datetime.now(UTC).isoformat(),
        "detail": detail,
    }
    sqs.send_message(QueueUrl=url["QueueUrl"], MessageBody=json.dumps(message))


def test_the_invoicer_invoices_an_order_once_and_credits_each_refund(cloud: Any, market: Market) -> None:
    product_id = seats(market, 5)
    placed = place(market, market.new_buyer(), product_id, "transfer")
    wait_for(lambda: len(invoices_of(market, placed.order_id)) == 1)  # offline: invoiced when placed
    (invoice,) = invoices_of(market, placed.order_id)
    assert invoice.kind == "invoice" and invoice.due_date is not None and invoice.gross_cents == 60_000

    received = PaymentInput(amount_cents=60_000, received_on=NOW.date(), reference="VIR-1")
    paid = payments.record_payment(
        market.organizer, payments.RecordPayment(order_id=placed.order_id, payment=received)
    )
    assert paid.state == "paid"
    for _ in range(2):
        redeliver(cloud, market, placed.order_id, "order.paid")
    refunded = RefundInput(amount_cents=10_000, reason="Un déjeuner annulé")
    payments.refund(market.organizer, payments.Refund(order_id=placed.order_id, refund=refunded))

    wait_for(lambda: len(invoices_of(market, placed.order_id)) == 2)
    documents = invoices_of(market, placed.order_id)
    kinds = sorted(document.kind for document in documents)
    assert kinds == ["credit_note", "invoice"]
    note = next(document for document in documents if document.kind == "credit_note")
    assert note.credited_invoice is not None and note.credited_invoice.invoice_id == invoice.invoice_id
    assert note.gross_cents == 10_000 and note.reason == "Un déjeuner annulé"
    time.sleep(2)  # the redeliveries, if not handled yet, would have issued by now
    assert [document.invoice_id for document in invoices_of(market, placed.order_id)] == [
        document.invoice_id for document in documents
    ]


def test_the_retention_sweep_pseudonymises_an_order_s_records_5_years_on_once_and_reports(
    cloud: Any, market: Market, later: Callable[[timedelta], None]
) -> None:
    product_id = seats(market, 5)
    old = place(market, market.new_buyer(), product_id, "transfer")
    received = PaymentInput(amount_cents=60_000, received_on=NOW.date(), reference="VIR-1")
    payments.record_payment(market.organizer, payments.RecordPayment(order_id=old.order_id, payment=received))
    refunded = RefundInput(amount_cents=10_000, reason="Un déjeuner annulé")
    payments.refund(market.organizer, payments.Refund(order_id=old.order_id, refund=refunded))
    wait_for(lambda: len(invoices_of(market, old.order_id)) == 2)
    young = place(market, market.new_buyer(), product_id, "transfer")
    wait_for(lambda: len(invoices_of(market, young.order_id)) == 1)
    later(timedelta(days=20))  # paid 20 days on: its relationship ends later than its placement
    payments.record_payment(
        market.organizer, payments.RecordPayment(order_id=young.order_id, payment=received)
    )
    later(timedelta(0))
    table, t = Table(cloud.resources.table_name), market.tenant_id

    def records(order_id: str) -> list[dict[str, Any]]:
        return [
            i
            for i in RetentionStore(table).order_records(t, order_id)
            if i["item_type"] != "contract_retention"
        ]

    before = {i["SK"]: i for i in records(old.order_id)}
    young_before = records(young.order_id)
    five_years_on = iso(NOW + timedelta(days=1830))
    assert run_sweep(cloud, (NOW + timedelta(days=1800)).isoformat(), t)["orders"] == 0
    done = run_sweep(cloud, five_years_on, t)
    assert done["orders"] == 2  # the younger order was due by its placement: looked at, moved on

    after = records(old.order_id)
    alias = pseudonym(t, old.order_id)
    by_type = {i["item_type"]: i for i in after}
    assert by_type["order"]["billing"]["company_name"] == alias and by_type["order"]["placed_by"] == alias
    assert by_type["order"]["billing"]["country"] == "FR"
    assert by_type["order"]["totals"] == before[by_type["order"]["SK"]]["totals"]
    assert by_type["payment"]["reference"] == alias and by_type["payment"]["amount_cents"] == 60_000
    assert by_type["refund"]["reason"] == alias and by_type["refund"]["amount_cents"] == 10_000
    invoices = [i for i in after if i["item_type"] == "invoice"]
    assert len(invoices) == 2 and all(i["buyer"]["company_name"] == alias for i in invoices)
    contractual = [i for i in after if i["item_type"] in ("order", "payment", "refund", "invoice")]
    assert len(contractual) == 5 and all(i["pseudonymised_at"] == five_years_on for i in contractual)
    assert [i.number for i in invoices_of(market, old.order_id)] == sorted(i["number"] for i in invoices)
    stored = deps.get().orders.get(t, old.order_id)  # still read as an order, for the accounts
    assert stored is not None and stored.order.billing.company_name == alias
    assert records(young.order_id) == young_before  # 5 years from its own end: not yet
    marker = table.get(keys.order_pk(t, young.order_id), keys.CONTRACT_RETENTION_SK)
    assert marker is not None and marker["due_on"] > five_years_on
    report = RetentionStore(table).reports(t, 1)[0]
    assert report["contractual"]["pseudonymised"] == {"order": 1, "payment": 1, "refund": 1, "invoice": 2}
    assert report["contractual"]["orders"] == [old.order_id]

    assert run_sweep(cloud, five_years_on, t)["orders"] == 0  # a second run: nothing left to do
    assert records(old.order_id) == after
