"""The invoicing adapters over the shared platform, built lazily; tests may override."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from salon.checkout.invoicing.adapters.documents import InvoiceDocuments
from salon.checkout.invoicing.adapters.invoice_store import InvoiceStore
from salon.checkout.invoicing.adapters.vies import VatRegistry, vat_registry
from salon.kernel.platform import AreaDeps, Platform
from salon.kernel.user_links import UserLinks


@dataclass
class Deps:
    platform: Platform
    invoices: InvoiceStore
    documents: InvoiceDocuments
    vat_registry: VatRegistry
    links: UserLinks

    @property
    def clock(self) -> Callable[[], datetime]:
        return self.platform.clock


def build(shared: Platform) -> Deps:
    settings = shared.settings
    return Deps(
        platform=shared,
        invoices=InvoiceStore(shared.table),
        documents=InvoiceDocuments(settings.invoice_bucket),
        vat_registry=vat_registry(settings.vat_number_check),
        links=UserLinks(shared.table),
    )


_deps = AreaDeps(build)
get = _deps.get
override = _deps.override
