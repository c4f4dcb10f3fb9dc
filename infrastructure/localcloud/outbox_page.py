"""`make dev`'s outbox page: ``GET /dev/outbox`` lists what the local cloud sent (newest last), and
``GET /dev/outbox/<file>`` shows one message rendered (an e-mail's HTML part, or an SMS). Served by the
dev gateway only, in front of the API: it is no route of the template and never reaches production."""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable
from email import message_from_bytes, policy
from typing import Any

from werkzeug.wrappers import Request, Response

from localcloud import outbox

PREFIX = "/dev/outbox"
WsgiApp = Callable[[dict[str, Any], Any], Iterable[bytes]]


def mount(api: WsgiApp) -> WsgiApp:
    """The API, with the outbox page in front of it."""

    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        if request.method == "GET" and (request.path == PREFIX or request.path.startswith(PREFIX + "/")):
            response = page(request.path[len(PREFIX) :].strip("/"))
            return response(environ, start_response)
        return api(environ, start_response)

    return app


def page(name: str) -> Response:
    if not name:
        return Response(_listing(), content_type="text/html; charset=utf-8")
    path = outbox.directory() / name
    if "/" in name or not path.is_file():
        return Response("not found", status=404)
    if path.suffix == ".json":
        record = json.loads(path.read_text(encoding="utf-8"))
        body = f"<h1>SMS to {html.escape(record['to'])}</h1><p>{html.escape(record['message'])}</p>"
        return Response(_html(body), content_type="text/html; charset=utf-8")
    mail = message_from_bytes(path.read_bytes(), policy=policy.default)
    part = mail.get_body(("html", "plain"))
    content = part.get_content() if part is not None else ""
    if part is not None and part.get_content_type() == "text/plain":
        content = f"<pre>{html.escape(content)}</pre>"
    headers = "".join(
        f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(mail[k]))}</td></tr>"
        for k in ("From", "To", "Subject", "X-Salon-Kind", "List-Unsubscribe")
        if mail[k]
    )
    # The message's own HTML is shown sandboxed: no script of a message runs on this page.
    frame = f'<iframe sandbox srcdoc="{html.escape(content)}" style="width:100%;height:70vh"></iframe>'
    return Response(_html(f"<table>{headers}</table>{frame}"), content_type="text/html; charset=utf-8")


def _listing() -> str:
    rows = "".join(
        f'<tr><td><a href="{PREFIX}/{c.path.name}">{c.path.name}</a></td><td>{c.channel}</td>'
        f"<td>{html.escape(c.kind)}</td><td>{html.escape(c.to)}</td></tr>"
        for c in outbox.captured()
    )
    return _html(
        f"<h1>Outbox</h1><table><tr><th>file</th><th>channel</th><th>kind</th><th>to</th></tr>{rows}</table>"
    )


def _html(body: str) -> str:
    head = '<head><meta charset="utf-8"><title>Salon outbox</title></head>'
    return f"<!DOCTYPE html><html>{head}<body>{body}</body></html>"
