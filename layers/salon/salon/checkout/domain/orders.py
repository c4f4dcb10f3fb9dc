"""Orders: what a company buys, priced from the catalogue, and the states it goes through.

An order holds its stock and promo use from the moment it is placed (``pending``) until it is paid,
or released when it expires unpaid or is cancelled. Paid orders may be refunded (partly or fully).
An order paid in two instalments is ``partially_paid`` once its deposit is in: it then holds its units
like a paid one (it no longer expires) until its balance makes it ``paid``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from salon.checkout.domain.deposits import Instalment, Schedule, latest_first
from salon.checkout.domain.money import Amount, Totals, VatMode, discount, totals
from salon.checkout.domain.products import Product
from salon.checkout.domain.promo import Promo, PromoCode
from salon.checkout.invoicing.domain import reverse_charge
from salon.kernel.errors import FieldError, LimitReached, ValidationFailed, WindowClosed
from salon.kernel.values import Country, Locale, LocalizedText, ShortText, StrictModel

State = Literal["pending", "partially_paid", "paid", "expired", "cancelled", "refunded"]
PaymentMethod = Literal["card", "transfer", "cheque", "purchase_order"]
REFUNDABLE: frozenset[str] = frozenset({"partially_paid", "paid"})
CARD_EXPIRY = timedelta(minutes=30)
ProductId = Annotated[str, Field(min_length=1, max_length=64)]


class LineInput(StrictModel):
    product_id: ProductId
    quantity: int = Field(ge=1, le=100)


class Billing(StrictModel):
    company_name: Annotated[str, Field(min_length=1, max_length=200)]
    address_lines: list[ShortText] = Field(default_factory=list, max_length=4)
    postcode: Annotated[str, Field(max_length=16)] = ""
    city: Annotated[str, Field(max_length=100)] = ""
    country: Country
    vat_number: Annotated[str, Field(max_length=20)] | None = None
    purchase_order: Annotated[str, Field(max_length=64)] | None = None


class OrderInput(StrictModel):
    lines: list[LineInput] = Field(min_length=1, max_length=20)
    promo_code: PromoCode | None = None
    payment_method: PaymentMethod
    payment_schedule: Schedule = "full"  # "deposit": in two instalments, if the event allows it
    billing: Billing | None = None


class OrderLine(BaseModel):
    """A priced line; a promo code's discount is a negative line per VAT rate (``product_id`` empty)."""

    model_config = ConfigDict(defer_build=True)

    product_id: str
    name: LocalizedText
    quantity: int
    unit_price_cents: int  # in the order's VAT mode
    vat_rate: Decimal
    meeting_quota: int = 0
    participants_included: int = 0

    @property
    def amount_cents(self) -> int:
        return self.quantity * self.unit_price_cents


class Order(BaseModel):
    model_config = ConfigDict(defer_build=True)

    order_id: str
    event_id: str
    registration_id: str
    state: State
    payment_method: PaymentMethod
    currency: str
    vat_mode: VatMode
    lines: list[OrderLine]
    promo_code: str | None = None
    totals: Totals
    billing: Billing
    buyer_locale: Locale = "fr"
    placed_by: str
    placed_at: datetime
    hold_until: datetime
    due_at: datetime | None = None
    paid_at: datetime | None = None
    paid_cents: int = 0
    refunded_cents: int = 0
    payment_intent_id: str | None = None
    ended_at: datetime | None = None
    instalments: list[Instalment] = Field(default_factory=list)  # empty: paid in one go

    @property
    def total_cents(self) -> int:
        return self.totals.gross_cents

    def instalment(self, part: str) -> Instalment | None:
        return next((i for i in self.instalments if i.part == part), None)

    def product_lines(self) -> list[OrderLine]:
        return [line for line in self.lines if line.product_id]

    def meeting_quota(self) -> int:
        return sum(line.meeting_quota * line.quantity for line in self.product_lines())


class OrderPage(BaseModel):
    model_config = ConfigDict(defer_build=True)

    items: list[Order]
    next_cursor: str | None = None


class OrderStatus(BaseModel):
    """Where an order stands after a change (ids and amounts only: idempotency records keep it)."""

    model_config = ConfigDict(defer_build=True)

    order_id: str
    state: State
    total: Totals
    paid_cents: int
    refunded_cents: int
    instalments: list[Instalment] = Field(default_factory=list)

    @classmethod
    def of(cls, order: Order) -> OrderStatus:
        return cls(
            order_id=order.order_id,
            state=order.state,
            total=order.totals,
            paid_cents=order.paid_cents,
            refunded_cents=order.refunded_cents,
            instalments=order.instalments,
        )


class OrderPlaced(BaseModel):
    model_config = ConfigDict(defer_build=True)

    order_id: str
    state: State
    total: Totals
    instalments: list[Instalment] = Field(default_factory=list)
    payment_intent_id: str | None = None
    client_secret: str | None = None  # card: for the full amount, or the deposit


@dataclass(frozen=True)
class Buyer:
    registration_id: str
    participation_type: str
    bought: Mapping[str, int]  # product id -> units the company already holds


def _line_error(index: int, message: str) -> list[FieldError]:
    return [FieldError(f"lines[{index}].product_id", message)]


def check_lines(
    body: OrderInput, products: Mapping[str, Product], buyer: Buyer, now: datetime
) -> list[tuple[Product, int]]:
    """Each wanted product with its quantity: refused (422/409) if unknown, hidden from the buyer's
    type, off sale, listed twice, or beyond its per-company maximum. Stock is the transaction's check."""
    chosen: list[tuple[Product, int]] = []
    seen: set[str] = set()
    for index, line in enumerate(body.lines):
        product = products.get(line.product_id)
        if product is None or not product.visible_for(buyer.participation_type):
            raise ValidationFailed("no such product for you", errors=_line_error(index, "no such product"))
        if line.product_id in seen:
            raise ValidationFailed("a product is listed twice", errors=_line_error(index, "listed twice"))
        seen.add(line.product_id)
        if not product.on_sale(now):
            raise WindowClosed("this product is not on sale now", errors=_line_error(index, "not on sale"))
        held = buyer.bought.get(line.product_id, 0)
        if product.max_per_company is not None and held + line.quantity > product.max_per_company:
            raise LimitReached(
                f"at most {product.max_per_company} per company",
                errors=[
                    FieldError(f"lines[{index}].quantity", f"at most {product.max_per_company} per company")
                ],
            )
        chosen.append((product, line.quantity))
    return chosen


def check_billing(billing: Billing | None) -> Billing:
    """Every order gets an invoice, which names the buyer's postal address (422 on ``billing.<field>``)
    and, if given, a valid EU VAT number."""
    if billing is None:
        raise ValidationFailed("billing details are required", errors=[FieldError("billing", "required")])
    errors = [
        FieldError(f"billing.{field}", "required")
        for field, value in (
            ("address_lines", billing.address_lines),
            ("postcode", billing.postcode.strip()),
            ("city", billing.city.strip()),
        )
        if not value
    ]
    problem = reverse_charge.vat_number_problem(billing.country, billing.vat_number)
    if problem:
        errors.append(FieldError("billing.vat_number", problem))
    if errors:
        raise ValidationFailed("incomplete billing details", errors=errors)
    return billing


def check_promo(promo: Promo | None, now: datetime) -> Promo:
    if promo is None or not promo.valid_at(now):
        raise ValidationFailed(
            "unknown or expired promo code", errors=[FieldError("promo_code", "not valid")]
        )
    if promo.max_uses is not None and promo.uses >= promo.max_uses:
        raise LimitReached("this promo code is used up", errors=[FieldError("promo_code", "used up")])
    return promo


def priced_lines(chosen: Sequence[tuple[Product, int]], promo: Promo | None) -> list[OrderLine]:
    lines = [
        OrderLine(
            product_id=product.product_id,
            name=product.name,
            quantity=quantity,
            unit_price_cents=product.price_cents,
            vat_rate=product.vat_rate,
            meeting_quota=product.meeting_quota,
            participants_included=product.participants_included,
        )
        for product, quantity in chosen
    ]
    if promo is None:
        return lines
    eligible = [line for line in lines if promo.applies_to(line.product_id)]
    off = discount([line.amount_cents for line in eligible], promo.kind, promo.value)
    per_rate: dict[Decimal, int] = {}
    for line, cents in zip(eligible, off, strict=True):
        per_rate[line.vat_rate] = per_rate.get(line.vat_rate, 0) + cents
    name = LocalizedText(fr=f"Remise {promo.code}", en=f"Discount {promo.code}")
    discounts = [
        OrderLine(product_id="", name=name, quantity=1, unit_price_cents=-cents, vat_rate=rate)
        for rate, cents in sorted(per_rate.items())
        if cents
    ]
    return lines + discounts


def order_totals(lines: Sequence[OrderLine], vat_mode: VatMode) -> Totals:
    return totals([Amount(line.amount_cents, line.vat_rate) for line in lines], vat_mode)


def payment_deadline(
    method: PaymentMethod, now: datetime, transfer_days: int
) -> tuple[datetime, datetime | None]:
    """When an unpaid order expires, and the due date an invoice shows (offline methods only)."""
    if method == "card":
        return now + CARD_EXPIRY, None
    due = now + timedelta(days=transfer_days)
    return due, due


def state_after_payment(order: Order, paid_cents: int) -> State:
    """``paid`` once the money reaches the total; ``partially_paid`` once it covers the deposit."""
    if paid_cents >= order.total_cents:
        return "paid"
    deposit = order.instalment("deposit")
    if deposit is not None and paid_cents >= deposit.amount_cents:
        return "partially_paid"
    return order.state


def card_due(order: Order, payment_intent_id: str) -> int | None:
    """What the PaymentIntent is to bring now: the total, or its instalment once the ones before it are
    paid; None when it pays nothing due (paid already, or the order ended)."""
    if not order.instalments:
        pending = order.state == "pending" and order.paid_cents == 0
        return order.total_cents if pending and payment_intent_id == order.payment_intent_id else None
    if order.state not in ("pending", "partially_paid"):
        return None
    for instalment in order.instalments:
        if instalment.state == "due":
            return instalment.amount_cents if instalment.payment_intent_id == payment_intent_id else None
    return None


def card_payments(order: Order) -> list[tuple[str, int]]:
    """The card payments the order received, latest first: (PaymentIntent id, amount)."""
    if not order.instalments:
        return [(order.payment_intent_id, order.paid_cents)] if order.payment_intent_id else []
    return [
        (i.payment_intent_id, i.amount_cents)
        for i in reversed(order.instalments)
        if i.state == "paid" and i.payment_intent_id
    ]


def refunded_on(order: Order, payment_intent_id: str) -> int:
    """What the order's refunds took back from that PaymentIntent so far (latest payment first)."""
    if not order.instalments:
        return order.refunded_cents
    payments = card_payments(order)
    parts = latest_first(0, order.refunded_cents, [amount for _, amount in payments])
    return next(
        (part for (paid, _), part in zip(payments, parts, strict=True) if paid == payment_intent_id), 0
    )
