"""The demo's checkout (`make demo`): the organiser sells one package per participation type and a
lunch option; most companies pay by card through localstripe (whose signed webhooks mark the orders
paid), two of them in two instalments (the event takes a 30 % deposit: deposit, then balance, each its
own PaymentIntent, a deposit invoice then a final one), some by transfer that the organiser records, and
two orders are refunded. The organiser's seller
details are set first: the invoicer issues an invoice per order and a credit note per refund, which the
demo waits for. The report gives the orders by state, the revenue excluding VAT and the VAT per rate.
Everything goes through the HTTP API; only the card confirmation, which a buyer's browser makes, talks
to localstripe directly."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import stripe

from localcloud.api_client import ApiClient, Json
from localcloud.demo_invoices import set_seller
from localcloud.stripe_server import LocalStripe

TRANSFER_EVERY = 4  # one company in four pays by transfer
DEPOSIT_POSITIONS = (1, 2)  # two card buyers pay a deposit, then the balance
DEPOSIT_TERMS: Json = {"percent": 30, "balance_due_days": 14}
PAID_WAIT_S = 60.0
INVOICED_WAIT_S = 120.0
BILLING: Json = {
    "company_name": "Société acheteuse",
    "address_lines": ["5 avenue de la République"],
    "postcode": "69002",
    "city": "Lyon",
    "country": "FR",
}


class CheckoutCheckFailed(RuntimeError):
    """An order did not reach the state the demo promises."""


@dataclass
class CheckoutReport:
    by_state: Counter[str] = field(default_factory=Counter)
    by_method: Counter[str] = field(default_factory=Counter)
    net_cents: int = 0
    vat_by_rate: dict[str, int] = field(default_factory=dict)
    refunded_cents: int = 0
    webhook_wait_s: float = 0.0
    documents_issued: int = 0  # invoices and credit notes
    invoiced_wait_s: float = 0.0
    invoices: list[str] = field(default_factory=list)  # localcloud.demo_invoices.report's lines
    deposits: list[str] = field(default_factory=list)  # per order paid in two instalments


def products_for(event_id: str, organizer: ApiClient, type_codes: Sequence[str]) -> dict[str, str]:
    """A package per participation type (meeting quota included) and a lunch option; type -> product id."""
    packages: dict[str, str] = {}
    for code in type_codes:
        made = organizer.post(
            f"/events/{event_id}/products",
            {
                "kind": "package",
                "name": {"fr": f"Pack {code}", "en": f"{code.capitalize()} package"},
                "price_cents": 90_000,
                "vat_rate": "20.0",
                "participants_included": 2,
                "meeting_quota": 12,
                "max_per_company": 1,
                "visible_to": [code],
            },
        )
        packages[code] = str(made["product_id"])
    lunch = organizer.post(
        f"/events/{event_id}/products",
        {"kind": "option", "name": {"fr": "Déjeuner", "en": "Lunch"}, "price_cents": 3_000, "vat_rate": "10"},
    )
    packages["lunch"] = str(lunch["product_id"])
    return packages


def _wait_paid(buyers: dict[str, ApiClient], deadline_s: float, state: str = "paid") -> None:
    deadline = time.monotonic() + deadline_s
    waiting = dict(buyers)
    while waiting:
        for order_id, api in list(waiting.items()):
            if api.get(f"/orders/{order_id}")["state"] == state:
                del waiting[order_id]
        if waiting and time.monotonic() > deadline:
            raise CheckoutCheckFailed(f"{len(waiting)} card orders were not {state} by the webhook in time")
        time.sleep(0.3)


def _confirm(card: stripe.StripeClient, payment_intent_id: str) -> None:
    """What the buyer's browser does with the client secret: a test card, then confirm."""
    card.v1.payment_intents.update(payment_intent_id, params={"payment_method": "pm_card_visa"})
    card.v1.payment_intents.confirm(payment_intent_id)


def _pay_balances(card: stripe.StripeClient, deposits: dict[str, ApiClient]) -> None:
    """Deposit orders: partially paid by their deposit's webhook, then the balance paid the same way."""
    _wait_paid(deposits, PAID_WAIT_S, "partially_paid")
    for order_id, api in deposits.items():
        _confirm(card, str(api.post(f"/orders/{order_id}/instalments/balance/pay")["payment_intent_id"]))
    _wait_paid(deposits, PAID_WAIT_S)


def _wait_invoiced(organizer: ApiClient, event_id: str, expected: int, deadline_s: float) -> int:
    """Poll the event's invoices until the invoicer has issued ``expected`` documents."""
    deadline = time.monotonic() + deadline_s
    while True:
        issued = len(organizer.get(f"/events/{event_id}/invoices", params={"format": "json"})["items"])
        if issued >= expected:
            return issued
        if time.monotonic() > deadline:
            raise CheckoutCheckFailed(f"{issued} invoices and credit notes of {expected} issued in time")
        time.sleep(0.5)


def run_checkout(
    organizer: ApiClient,
    event_id: str,
    buyers: Sequence[tuple[str, ApiClient]],
    local_stripe: LocalStripe,
    progress: Callable[[str], None] = lambda message: None,
) -> CheckoutReport:
    """``buyers``: (participation type, a signed-in participant's client) per company."""
    report = CheckoutReport()
    set_seller(organizer)
    organizer.patch_event(event_id, {"deposit": DEPOSIT_TERMS})
    products = products_for(event_id, organizer, sorted({code for code, _ in buyers}))
    card = stripe.StripeClient(local_stripe.secret_key, base_addresses={"api": local_stripe.url})
    by_card: dict[str, ApiClient] = {}
    deposits: dict[str, ApiClient] = {}
    by_transfer: list[tuple[str, int]] = []
    for position, (code, api) in enumerate(buyers):
        method = "transfer" if position % TRANSFER_EVERY == TRANSFER_EVERY - 1 else "card"
        lines = [{"product_id": products[code], "quantity": 1}]
        if position % 2 == 0:
            lines.append({"product_id": products["lunch"], "quantity": 2})
        order: Json = {"lines": lines, "payment_method": method, "billing": BILLING}
        if method == "card" and position in DEPOSIT_POSITIONS:
            order["payment_schedule"] = "deposit"
        placed = api.post(f"/events/{event_id}/orders", order, expected=(201,))
        report.by_method[method] += 1
        if method == "card":
            _confirm(card, str(placed["payment_intent_id"]))
            (deposits if placed["instalments"] else by_card)[str(placed["order_id"])] = api
        else:
            by_transfer.append((str(placed["order_id"]), int(placed["total"]["gross_cents"])))
    progress(f"{len(by_card)} card payments confirmed in localstripe, waiting for its webhooks...")
    started = time.perf_counter()
    _wait_paid(by_card, PAID_WAIT_S)
    _pay_balances(card, deposits)
    report.webhook_wait_s = time.perf_counter() - started
    for number, (order_id, total) in enumerate(by_transfer):
        first = total // 2 if number % 2 == 0 else total  # half of them in two instalments
        for amount, reference in ((first, f"VIR-{number}-1"), (total - first, f"VIR-{number}-2")):
            if amount:
                payment = {"amount_cents": amount, "received_on": "2026-03-02", "reference": reference}
                organizer.post(f"/orders/{order_id}/payments", payment, expected=(201,))
    if not by_card or not by_transfer:
        raise CheckoutCheckFailed(f"{TRANSFER_EVERY} buyers at least are needed (card and transfer)")
    card_refund, transfer_refund = next(iter(by_card)), by_transfer[0][0]
    organizer.post(f"/orders/{card_refund}/refunds", {"reason": "participation cancelled"}, expected=(201,))
    partial = {"amount_cents": 6_600, "reason": "lunch cancelled"}
    organizer.post(f"/orders/{transfer_refund}/refunds", partial, expected=(201,))
    ids = [*by_card, *deposits, *(o for o, _ in by_transfer)]
    orders = [organizer.get(f"/orders/{order_id}") for order_id in ids]
    _tally(report, orders)
    progress("waiting for the invoicer's invoices and credit notes...")
    started = time.perf_counter()
    expected = len(orders) + len(deposits) + 2  # deposit orders have two invoices; two refunds
    report.documents_issued = _wait_invoiced(organizer, event_id, expected, INVOICED_WAIT_S)
    report.invoiced_wait_s = time.perf_counter() - started
    report.deposits = _deposit_lines(organizer, event_id, [o for o in orders if o["instalments"]])
    return report


def _deposit_lines(organizer: ApiClient, event_id: str, orders: Sequence[Json]) -> list[str]:
    documents = organizer.get(f"/events/{event_id}/invoices", params={"format": "json"})["items"]
    lines = []
    for order in orders:
        parts = ", ".join(
            f"{i['part']} {_euros(int(i['amount_cents']))} {i['state']}" for i in order["instalments"]
        )
        invoiced = ", ".join(
            f"{d['number']} {_euros(int(d['gross_cents']))}"
            for d in documents
            if d["order_id"] == order["order_id"]
        )
        lines.append(f"  {order['order_id']} ({order['state']}): {parts}; invoices {invoiced}")
    return lines


def _tally(report: CheckoutReport, orders: Sequence[Json]) -> None:
    vat: Counter[str] = Counter()
    for order in orders:
        report.by_state[str(order["state"])] += 1
        report.refunded_cents += int(order["refunded_cents"])
        if order["state"] == "paid":
            report.net_cents += int(order["totals"]["net_cents"])
            for rate in order["totals"]["by_rate"]:
                vat[format(Decimal(str(rate["vat_rate"])).normalize(), "f")] += int(rate["vat_cents"])
    report.vat_by_rate = dict(sorted(vat.items()))


def _euros(cents: int) -> str:
    return f"{cents / 100:,.2f} EUR".replace(",", " ")


def format_checkout(report: CheckoutReport) -> list[str]:
    return [
        "Checkout (packages and lunches; card through localstripe, transfers recorded by the organiser):",
        "  orders by state: " + ", ".join(f"{state} {n}" for state, n in sorted(report.by_state.items())),
        "  orders by method: " + ", ".join(f"{method} {n}" for method, n in sorted(report.by_method.items())),
        f"  card orders paid by the signed webhooks within {report.webhook_wait_s:.1f} s",
        f"  revenue of paid orders excluding VAT: {_euros(report.net_cents)}",
        *(f"  VAT {rate} %: {_euros(cents)}" for rate, cents in report.vat_by_rate.items()),
        f"  refunded: {_euros(report.refunded_cents)} (one card order in full, one transfer in part)",
        f"  paid by card in two instalments ({DEPOSIT_TERMS['percent']} % deposit, then the balance; "
        "a deposit invoice, then the final one less the deposit):",
        *report.deposits,
        f"  invoices and credit notes issued by the invoicer: {report.documents_issued} "
        f"(all within {report.invoiced_wait_s:.1f} s of the last refund)",
        *report.invoices,
    ]
