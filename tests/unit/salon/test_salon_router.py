"""The kernel's HTTP router: fail-closed dispatch, problem+json for every refusal, field paths."""

from __future__ import annotations

import base64
import json
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, Field
from salon.kernel.caller import Caller
from salon.kernel.http import Download, Router, negotiate
from salon.kernel.routes import CONFIGURATION, DOCS, MATCHMAKING, REGISTER

ORGANIZER = {"sub": "u1", "custom:tenant_id": "t1", "cognito:groups": "[organizer]"}


class Query(BaseModel):
    limit: int = Field(default=25, ge=1, le=100)


class Body(BaseModel):
    name: str = Field(min_length=1)


class Echo(BaseModel):
    echoed: dict[str, Any]


def router() -> Router:
    router = Router(CONFIGURATION)

    @router.route("GET /events", response=Echo, query=Query)
    def listing(caller: Caller, query: Query) -> dict[str, Any]:
        return {"echoed": {"limit": query.limit, "actor": caller.actor}}

    @router.route("PATCH /events/{event_id}", response=Echo, body=Body)
    def change(caller: Caller, event_id: str, body: Body) -> Echo:
        return Echo(echoed={"event_id": event_id, "name": body.name, "key": caller.idempotency_key})

    return router


def event(
    route_key: str, path: str, *, claims: dict[str, str] | None = ORGANIZER, **extra: Any
) -> dict[str, Any]:
    context: dict[str, Any] = {"requestId": "r1"}
    if claims is not None:
        context["authorizer"] = {"jwt": {"claims": claims}}
    return {"routeKey": route_key, "rawPath": path, "requestContext": context, **extra}


def answer(response: dict[str, Any]) -> tuple[int, str, dict[str, Any]]:
    return response["statusCode"], response["headers"]["Content-Type"], json.loads(response["body"])


@pytest.mark.parametrize(
    "route_key",
    [
        "GET /nowhere",  # not in the route table
        "$default",
        "GET /docs",  # declared, but for another function
        "GET /events/{event_id}",  # declared for this function, but bound to no operation here
    ],
)
def test_routes_not_bound_here_are_refused_as_404_problems(route_key: str) -> None:
    status, content_type, problem = answer(router().handle(event(route_key, "/x")))

    assert (status, content_type, problem["type"]) == (404, "application/problem+json", "/problems/not-found")


def test_binding_a_route_of_another_function_fails_at_import() -> None:
    with pytest.raises(ValueError, match=DOCS):
        Router(REGISTER).route("GET /docs", response=Echo)


def test_authorization_comes_before_validation() -> None:
    anonymous = event("GET /events", "/events", claims=None, queryStringParameters={"limit": "0"})
    assert answer(router().handle(anonymous))[0] == 401


def test_query_and_body_errors_name_their_field() -> None:
    bad_query = event("GET /events", "/events", queryStringParameters={"limit": "0"})
    status, _, problem = answer(router().handle(bad_query))
    assert status == 422 and [e["field"] for e in problem["errors"]] == ["query.limit"]

    bad_body = event(
        "PATCH /events/{event_id}", "/events/e1", pathParameters={"event_id": "e1"}, body='{"name": ""}'
    )
    status, _, problem = answer(router().handle(bad_body))
    assert status == 422 and [e["field"] for e in problem["errors"]] == ["name"]

    no_body = event("PATCH /events/{event_id}", "/events/e1", pathParameters={"event_id": "e1"})
    status, _, problem = answer(router().handle(no_body))
    assert status == 422 and [e["field"] for e in problem["errors"]] == ["body"]


@pytest.mark.parametrize("raw", ["{not json", base64.b64encode(b"\xff\xfe").decode()])
def test_undecodable_bodies_are_400(raw: str) -> None:
    malformed = event(
        "PATCH /events/{event_id}",
        "/events/e1",
        pathParameters={"event_id": "e1"},
        body=raw,
        isBase64Encoded=not raw.startswith("{"),
    )
    status, _, problem = answer(router().handle(malformed))
    assert status == 400 and problem["type"] == "/problems/malformed-body"


def test_an_operation_gets_path_parameters_query_body_and_idempotency_key() -> None:
    listed = answer(router().handle(event("GET /events", "/events", queryStringParameters={"limit": "7"})))
    assert listed[:2] == (200, "application/json") and listed[2] == {"echoed": {"limit": 7, "actor": "u1"}}

    body = base64.b64encode(b'{"name": "Salon"}').decode()
    changed = event(
        "PATCH /events/{event_id}",
        "/events/e1",
        pathParameters={"event_id": "e1"},
        headers={"Idempotency-Key": "k1"},
        body=body,
        isBase64Encoded=True,
    )
    assert answer(router().handle(changed))[2] == {"echoed": {"event_id": "e1", "name": "Salon", "key": "k1"}}


def file_router() -> Router:
    router = Router(MATCHMAKING)

    @router.route("GET /events/{event_id}/matchmaking", response=Echo, produces=("text/csv",))
    def listing(caller: Caller, event_id: str, media_type: str) -> Echo | Download:
        if media_type == "text/csv":
            return Download("\ufeffa;é\n".encode(), media_type, f"{event_id}.csv")
        return Echo(echoed={"event_id": event_id})

    return router


def listing(accept: str | None) -> dict[str, Any]:
    headers = {} if accept is None else {"Accept": accept}
    return file_router().handle(
        event(
            "GET /events/{event_id}/matchmaking",
            "/events/e1/matchmaking",
            pathParameters={"event_id": "e1"},
            headers=headers,
        )
    )


def test_a_route_offering_files_answers_the_accepted_one_base64_encoded() -> None:
    response = listing("text/csv;q=0.9, application/json;q=0.5")

    assert response["statusCode"] == 200 and response["isBase64Encoded"] is True
    assert response["headers"]["Content-Type"] == "text/csv"
    assert response["headers"]["Content-Disposition"] == 'attachment; filename="e1.csv"'
    assert base64.b64decode(response["body"]).decode() == "\ufeffa;é\n"


@pytest.mark.parametrize("accept", [None, "", "*/*", "application/*", "application/json, text/csv"])
def test_json_is_the_default_and_wins_ties(accept: str | None) -> None:
    response = listing(accept)

    assert response["isBase64Encoded"] is False
    assert answer(response)[:2] == (200, "application/json")


def test_an_accept_header_naming_nothing_offered_is_406() -> None:
    status, content_type, problem = answer(listing("application/xml, text/csv;q=0"))

    assert (status, content_type, problem["type"]) == (
        406,
        "application/problem+json",
        "/problems/not-acceptable",
    )


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        ("text/*", "text/csv"),
        ("text/csv;q=0.2, */*;q=0.1", "text/csv"),
        ("application/json;q=0, */*", "text/csv"),
        ("TEXT/CSV", "text/csv"),
        ("text/csv;q=oops, application/json", "application/json"),
    ],
)
def test_negotiation_follows_qualities_and_specificity(accept: str, chosen: str) -> None:
    assert negotiate(accept, ("application/json", "text/csv")) == chosen


def pdf_router() -> Router:
    router = Router(MATCHMAKING)

    @router.route("GET /events/{event_id}/matchmaking", response=None, produces=("application/pdf",))
    def printout(caller: Caller, event_id: str, media_type: str) -> Download:
        return Download(f"%PDF {caller.origin}".encode(), media_type, f"{event_id}.pdf")

    return router


def printout(accept: str | None) -> dict[str, Any]:
    return pdf_router().handle(
        event(
            "GET /events/{event_id}/matchmaking",
            "/events/e1/matchmaking",
            pathParameters={"event_id": "e1"},
            headers={} if accept is None else {"Accept": accept},
            requestContext={
                "requestId": "r1",
                "domainName": "api.salon.example",
                "authorizer": {"jwt": {"claims": ORGANIZER}},
            },
        )
    )


@pytest.mark.parametrize("accept", [None, "*/*", "application/pdf"])
def test_a_files_only_route_answers_its_file_and_knows_the_api_s_address(accept: str | None) -> None:
    response = printout(accept)

    assert (response["statusCode"], response["headers"]["Content-Type"]) == (200, "application/pdf")
    assert base64.b64decode(response["body"]) == b"%PDF https://api.salon.example"


def test_a_files_only_route_offers_no_json() -> None:
    assert printout("application/json")["statusCode"] == 406


def test_a_route_answering_neither_json_nor_a_file_is_refused_when_bound() -> None:
    with pytest.raises(ValueError, match="neither JSON nor a file"):
        Router(MATCHMAKING).route("GET /events/{event_id}/matchmaking", response=None)


def test_a_raw_operation_gets_the_body_as_sent_and_the_headers() -> None:
    from salon.kernel.http import RawRequest
    from salon.kernel.routes import STRIPE_WEBHOOK

    seen: list[RawRequest] = []
    webhook = Router(STRIPE_WEBHOOK)

    @webhook.route("POST /payments/stripe/webhook", response=Echo, raw=True)
    def receive(caller: Caller, raw: RawRequest) -> Echo:
        seen.append(raw)
        return Echo(echoed={})

    body = '{"id": "evt_1",  "amount": 10}'  # spacing kept: a signature covers these exact bytes
    headers = {"Content-Type": "application/json", "Stripe-Signature": "t=1,v1=ab"}
    plain = event(
        "POST /payments/stripe/webhook", "/payments/stripe/webhook", claims=None, body=body, headers=headers
    )
    encoded = {**plain, "body": base64.b64encode(body.encode()).decode(), "isBase64Encoded": True}

    assert [webhook.handle(e)["statusCode"] for e in (plain, encoded)] == [200, 200]
    assert [r.body for r in seen] == [body.encode(), body.encode()]
    assert seen[0].headers["stripe-signature"] == "t=1,v1=ab"


LISTING_MODULE = """
from salon.kernel.caller import Caller
from salon.kernel.http import Router
from salon.kernel.routes import CONFIGURATION
from {tests} import Echo

router = Router(CONFIGURATION)


@router.route("GET /events", response=Echo)
def listing(caller: Caller) -> Echo:
    return Echo(echoed={{"actor": caller.actor}})
{more}"""
GET_EVENT = """

@router.route("GET /events/{event_id}", response=Echo)
def get_event(caller: Caller, event_id: str) -> Echo:
    return Echo(echoed={"event_id": event_id})
"""


def lazy_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, more: str = "") -> str:
    """A package (unique name) holding the module ``listing``, which binds GET /events (and ``more``)."""
    package = f"lazy_{uuid.uuid4().hex}"
    (tmp_path / package).mkdir()
    (tmp_path / package / "__init__.py").write_text("")
    source = LISTING_MODULE.format(tests=__name__, more=more)
    (tmp_path / package / "listing.py").write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path))
    return package


def test_a_lazy_route_imports_its_module_on_its_first_authorized_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = lazy_package(tmp_path, monkeypatch)
    router = Router(CONFIGURATION, package)
    router.lazy("GET /events", "listing")

    refused = router.handle(event("GET /events", "/events", claims=None))
    assert refused["statusCode"] == 401 and f"{package}.listing" not in sys.modules

    answered = answer(router.handle(event("GET /events", "/events")))
    assert answered[0] == 200 and answered[2] == {"echoed": {"actor": "u1"}}
    assert f"{package}.listing" in sys.modules and set(router.bindings) == {"GET /events"}


def test_bind_all_binds_every_lazy_route(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    router = Router(CONFIGURATION, lazy_package(tmp_path, monkeypatch, more=GET_EVENT))
    router.lazy("GET /events", "listing")
    router.lazy("GET /events/{event_id}", "listing")

    assert set(router.bind_all()) == {"GET /events", "GET /events/{event_id}"}


def test_a_lazy_module_binding_other_routes_than_declared_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    router = Router(CONFIGURATION, lazy_package(tmp_path, monkeypatch, more=GET_EVENT))
    router.lazy("GET /events", "listing")  # the module binds GET /events/{event_id} too

    with pytest.raises(LookupError, match="GET /events/"):
        router.bind_all()
    assert router.handle(event("GET /events", "/events"))["statusCode"] == 500


def test_a_lazy_route_is_declared_once_and_for_this_function() -> None:
    router = Router(CONFIGURATION)
    router.lazy("GET /events", "listing")

    with pytest.raises(ValueError, match="twice"):
        router.lazy("GET /events", "other")
    with pytest.raises(ValueError, match=DOCS):
        router.lazy("GET /docs", "docs")
