"""The event's products and promo codes: organisers create them; buyers list what they may buy."""

from __future__ import annotations

import uuid

from salon.checkout import deps
from salon.checkout.domain.products import Product, ProductInput, ProductPage
from salon.checkout.domain.promo import Promo, PromoInput
from salon.kernel.caller import Caller, require
from salon.kernel.dynamo import TransactionCancelled
from salon.kernel.errors import Conflict, FieldError, NotFound
from salon.kernel.principal import CONFIGURE, READ_CATALOGUE
from salon.registration.domain.events import Event


def event_of(tenant_id: str, event_id: str) -> Event:
    event = deps.get().events.get_event(tenant_id, event_id)
    if event is None:
        raise NotFound("no such event")
    return event


def create_product(caller: Caller, event_id: str, body: ProductInput) -> Product:
    principal = require(caller, CONFIGURE)
    event_of(principal.tenant_id, event_id)
    d = deps.get()
    product = Product(
        product_id=f"prd_{uuid.uuid4().hex[:16]}",
        event_id=event_id,
        created_at=d.clock(),
        **body.model_dump(),
    )
    d.orders.put_product(principal.tenant_id, product)
    return product


def list_products(caller: Caller, event_id: str) -> ProductPage:
    """Organisers and staff see every product; a participant those of their type, on sale or not."""
    principal = require(caller, READ_CATALOGUE)
    event_of(principal.tenant_id, event_id)
    d = deps.get()
    products = sorted(
        d.orders.products(principal.tenant_id, event_id), key=lambda p: (p.kind != "package", p.created_at)
    )
    if "participant" in principal.roles and not principal.roles & {"organizer", "staff"}:
        types = {
            str(reg["type"])
            for link in d.links.of(principal.tenant_id, principal.sub)
            if link["event_id"] == event_id
            for reg in [d.orders.registration(principal.tenant_id, link["registration_id"]) or {}]
            if "type" in reg
        }
        products = [p for p in products if any(p.visible_for(t) for t in types)]
    return ProductPage(items=products)


def create_promo(caller: Caller, event_id: str, body: PromoInput) -> Promo:
    principal = require(caller, CONFIGURE)
    event_of(principal.tenant_id, event_id)
    d = deps.get()
    promo = Promo(event_id=event_id, created_at=d.clock(), **body.model_dump())
    try:
        d.orders.put_promo(principal.tenant_id, promo)
    except TransactionCancelled as exc:
        raise Conflict(
            "this promo code exists already", errors=[FieldError("code", "exists already")]
        ) from exc
    return promo
