"""The VIES adapter against a local HTTP server answering as VIES does (the real service is not
reachable offline), the adapter the settings choose, and an issue that VIES decides."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from localcloud.invoice_samples import GERMAN_BUYER, SELLER, order
from salon.checkout.invoicing import deps
from salon.checkout.invoicing.adapters.vies import StubVies, Vies, vat_registry
from salon.checkout.invoicing.services.issue import issue_invoice
from salon.kernel.errors import DependencyUnavailable
from salon.kernel.values import iso, utcnow

pytestmark = pytest.mark.integration
ANSWERS: dict[str, Any] = {
    "/ms/DE/vat/136695976": {"isValid": True, "vatNumber": "136695976"},
    "/ms/BE/vat/0411905847": {"isValid": False},
    "/ms/IT/vat/00743110157": {"userError": "MS_UNAVAILABLE"},
}


class FakeVies(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps(ANSWERS.get(self.path, {"error": "unknown"})).encode()
        self.send_response(200 if self.path in ANSWERS else 500)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def vies() -> Iterator[Vies]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeVies)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield Vies(f"http://127.0.0.1:{server.server_port}/ms/{{country}}/vat/{{number}}")
    server.shutdown()


def test_vies_says_whether_a_number_is_registered(vies: Vies) -> None:
    assert vies.is_registered("DE136695976") is True
    assert vies.is_registered("BE0411905847") is False


def test_a_member_state_not_answering_is_a_503_to_retry(vies: Vies) -> None:
    with pytest.raises(DependencyUnavailable, match="MS_UNAVAILABLE"):
        vies.is_registered("IT00743110157")
    with pytest.raises(DependencyUnavailable):
        vies.is_registered("FR40303265045")  # the server errs
    with pytest.raises(DependencyUnavailable):
        Vies("http://127.0.0.1:9/{country}/{number}").is_registered("DE136695976")  # nothing listens


def test_the_settings_choose_the_adapter() -> None:
    assert isinstance(vat_registry("vies"), Vies)
    assert isinstance(vat_registry("stub"), StubVies)
    assert StubVies().is_registered("DE136695976")


def test_a_number_vies_does_not_know_is_charged_french_vat(cloud: Any, vies: Vies) -> None:
    tenant_id = f"t-{uuid.uuid4().hex[:10]}"
    real = deps.get()
    deps.override(replace(real, vat_registry=vies))
    try:
        real.invoices.put_seller(tenant_id, SELLER, "organiser-sub", iso(utcnow()))
        belgian = GERMAN_BUYER.model_copy(update={"country": "BE", "vat_number": "BE0411905847"})
        german = issue_invoice(tenant_id, order("ord_de", billing=GERMAN_BUYER))
        unknown = issue_invoice(tenant_id, order("ord_be", billing=belgian))
    finally:
        deps.override(None)
    assert german.reverse_charge and german.vat_cents == 0
    assert not unknown.reverse_charge and unknown.vat_cents > 0
    assert {v.category for v in unknown.vat} == {"S"}
