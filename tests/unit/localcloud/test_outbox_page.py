"""The dev outbox page lists what the local cloud sent and shows one message, sandboxed; every other
path goes to the API."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from localcloud import outbox, outbox_page
from werkzeug.test import Client


@pytest.fixture
def box(tmp_path: Path) -> Iterator[Path]:
    saved = list(outbox._DIRECTORY)
    outbox._DIRECTORY[:] = [tmp_path]
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"], mail["X-Salon-Kind"] = "a@x.example", "b@y.example", "Hi", "k1"
    mail.set_content("plain")
    mail.add_alternative("<p>Hello <script>alert(1)</script></p>", subtype="html")
    (tmp_path / "00000000000000000001-000000.eml").write_bytes(mail.as_bytes())
    sms = {"to": "+33612345678", "kind": "meeting_moved", "message": "RDV <déplacé>"}
    (tmp_path / "00000000000000000002-000001.json").write_text(json.dumps(sms), encoding="utf-8")
    yield tmp_path
    outbox._DIRECTORY[:] = saved


def api(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "application/json")])
    return [b'{"api": true}']


def test_the_listing_then_each_message(box: Path) -> None:
    client = Client(outbox_page.mount(api))

    listing = client.get("/dev/outbox").get_data(as_text=True)
    assert listing.index("000000.eml") < listing.index("000001.json")  # newest last
    assert "k1" in listing and "meeting_moved" in listing
    mail = client.get("/dev/outbox/00000000000000000001-000000.eml").get_data(as_text=True)
    assert "<iframe sandbox" in mail and "<script>" not in mail  # the message's HTML, escaped into srcdoc
    sms = client.get("/dev/outbox/00000000000000000002-000001.json").get_data(as_text=True)
    assert "RDV &lt;déplacé&gt;" in sms
    assert client.get("/dev/outbox/missing.eml").status_code == 404


def test_other_paths_reach_the_api(box: Path) -> None:
    assert Client(outbox_page.mount(api)).get("/health").get_json() == {"api": True}
