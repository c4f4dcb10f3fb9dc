"""The tenant's seller details, set by its organisers: what its invoices say of the seller."""

from __future__ import annotations

from salon.checkout.invoicing import deps
from salon.checkout.invoicing.domain.seller import Seller
from salon.kernel.caller import Caller, require
from salon.kernel.errors import NotFound
from salon.kernel.principal import CONFIGURE, READ_CONFIG
from salon.kernel.values import iso


def put_seller(caller: Caller, seller: Seller) -> Seller:
    """Replace the seller details; invoices already issued keep those they were issued with."""
    principal = require(caller, CONFIGURE)
    d = deps.get()
    d.invoices.put_seller(principal.tenant_id, seller, principal.sub, iso(d.clock()))
    return seller


def get_seller(caller: Caller) -> Seller:
    principal = require(caller, READ_CONFIG)
    seller = deps.get().invoices.seller(principal.tenant_id)
    if seller is None:
        raise NotFound("no seller details yet")
    return seller
