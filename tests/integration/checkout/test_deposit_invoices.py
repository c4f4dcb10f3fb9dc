"""Invoices of an order paid in two instalments, against the local cloud: the deposit invoice (its own
kind) and the final invoice (less the deposit, naming it) issued once each with consecutive numbers,
and refunds credited latest money first, never beyond either invoice."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from localcloud.invoice_samples import SELLER
from salon.checkout.domain.deposits import covered, plan
from salon.checkout.domain.orders import Billing, Order, OrderLine, order_totals
from salon.checkout.invoicing import deps
from salon.checkout.services import deposit_invoices
from salon.kernel.values import LocalizedText, iso, utcnow
from salon.registration.domain.events import DepositTerms

pytestmark = pytest.mark.integration


@pytest.fixture
def tenant(cloud: Any) -> str:
    tenant_id = f"t-{uuid.uuid4().hex[:10]}"
    deps.get().invoices.put_seller(tenant_id, SELLER, "organiser-sub", iso(utcnow()))
    return tenant_id


def paid_order() -> Order:
    now = utcnow()
    lines = [
        OrderLine(
            product_id="pkg",
            name=LocalizedText(fr="Pack acheteur", en="Buyer package"),
            quantity=1,
            unit_price_cents=90_000,
            vat_rate=Decimal("20"),
        )
    ]
    instalments = plan(108_000, DepositTerms(percent=30, balance_due_days=7), now + timedelta(days=30), now)
    return Order(
        order_id=f"ord_{uuid.uuid4().hex[:16]}",
        event_id="evt_1",
        registration_id="reg_1",
        state="paid",
        payment_method="card",
        currency="EUR",
        vat_mode="excl",
        lines=lines,
        totals=order_totals(lines, "excl"),
        billing=Billing.model_validate(
            {
                "company_name": "Acme SAS",
                "address_lines": ["1 rue de la Paix"],
                "postcode": "75002",
                "city": "Paris",
                "country": "FR",
            }
        ),
        placed_by="sub-1",
        placed_at=now,
        hold_until=now + timedelta(minutes=30),
        paid_at=now,
        paid_cents=108_000,
        instalments=covered(instalments, 108_000, now),
    )


def test_the_final_invoice_deducts_the_deposit_invoice_and_refunds_credit_both(tenant: str) -> None:
    order = paid_order()
    final = deposit_invoices.final_invoice(tenant, order)
    deposit = deposit_invoices.deposit_invoice(tenant, order)
    assert (deposit.gross_cents, final.gross_cents) == (32_400, 75_600)
    assert int(final.number[-5:]) == int(deposit.number[-5:]) + 1
    assert deposit_invoices.final_invoice(tenant, order).invoice_id == final.invoice_id  # issued once
    assert any(deposit.number in line.name and line.net_cents == -27_000 for line in final.lines)
    assert (deposit.kind, final.kind) == ("deposit_invoice", "invoice")
    assert final.deducted_deposit is not None and final.deducted_deposit.number == deposit.number

    deposit_invoices.credit_refund(tenant, order, "ref_1", 80_000, 0, "participation cancelled")
    deposit_invoices.credit_refund(tenant, order, "ref_2", 28_000, 80_000, "participation cancelled")
    deposit_invoices.credit_refund(tenant, order, "ref_2", 28_000, 80_000, "participation cancelled")
    documents = deps.get().invoices.of_event(tenant, order.event_id)
    credited: dict[str, int] = {}
    for note in (d for d in documents if d.kind == "credit_note"):
        assert note.credited_invoice is not None
        key = note.credited_invoice.invoice_id
        credited[key] = credited.get(key, 0) + note.gross_cents
    assert credited == {final.invoice_id: 75_600, deposit.invoice_id: 32_400}
    kinds = {d.invoice_id: d.kind for d in documents}
    assert (kinds[deposit.invoice_id], kinds[final.invoice_id]) == ("deposit_invoice", "invoice")
    numbers = sorted(int(d.number[-5:]) for d in documents)
    assert numbers == list(range(numbers[0], numbers[0] + 5))
