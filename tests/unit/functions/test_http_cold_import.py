"""What the HTTP functions' cold start imports: never the machinery only some requests use.

Timings belong to `make bench`; this test pins the modules, so a regression (an eager import of the
OpenAPI/Swagger machinery, X-Ray, Powertools or its idempotency utility) fails here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
NEVER_AT_COLD_START = (
    "aws_lambda_powertools",  # Logger, Tracer, idempotency: imported by the first keyed call only
    "aws_xray_sdk",
    "aws_lambda_powertools.event_handler",  # the resolver and its OpenAPI/Swagger machinery
    "fpdf",  # printing (PDF agendas, table sheets): more than a second to import
    "openpyxl",  # XLSX exports
    "jinja2",  # notification templates (the notify functions)
    "phonenumbers",  # mobile numbers of SMS notifications
    "stdnum",  # VAT numbers (invoicing)
    "stripe",  # card payments (the checkout functions)
    "icalendar",  # the calendar feed only
    "facturx",  # invoice documents
    "lxml",
    "pypdf",
    "PIL",
    "fontTools",
    "opensearchpy",  # the catalogue's engine (the search functions, when it is OpenSearch)
)


def imported_by(module: str, code_dir: Path) -> set[str]:
    script = f"import json, sys; import {module}; print(json.dumps(sorted(sys.modules)))"
    env = {"PYTHONPATH": f"{code_dir}:{REPO / 'layers' / 'salon'}", "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=code_dir, env=env, capture_output=True, text=True, check=True
    )
    return set(json.loads(out.stdout))


@pytest.mark.parametrize(
    "function", ["register", "configuration", "review", "matchmaking", "search", "scheduling", "dsar"]
)
def test_an_http_function_imports_only_what_every_request_needs(function: str) -> None:
    modules = imported_by("app", REPO / "functions" / function)
    _check(modules)


def test_the_calendar_feed_imports_no_writing_module_and_nothing_heavy() -> None:
    modules = imported_by("calendar_feed", REPO / "functions" / "scheduling")

    _check(modules, allowed=("icalendar",))
    assert "icalendar" in modules
    assert "salon.kernel.dynamo" not in modules  # reads only (salon.kernel.dynamo_reads)


def _check(modules: set[str], allowed: tuple[str, ...] = ()) -> None:
    assert "boto3" in modules  # every route but /health reaches AWS: imported at init, on purpose
    assert "salon.kernel.http" in modules, "the probe did not import the handler"
    never = [name for name in NEVER_AT_COLD_START if name not in allowed]
    eager = sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in never))
    assert eager == []


# A request per lazily bound function that its route's module answers without AWS (a health check, or
# a query string its model refuses), and a route refused to an anonymous caller.
LAZY_REQUESTS = {
    "register": (("GET /health", None, {}, 200), "GET /me"),
    "configuration": (("GET /events", "organizer", {"limit": "0"}, 422), "PUT /events/{event_id}/form"),
    "review": (
        ("GET /audit", "dpo", {"limit": "0"}, 422),
        "POST /registrations/{registration_id}/decision",
    ),
}
LAZY_PROBE = """
import json, sys
import app

def salon_models():
    from pydantic import BaseModel
    return sorted(
        f"{name}.{attribute}" for name, module in list(sys.modules.items()) if name.startswith("salon.")
        for attribute, value in vars(module).items()
        if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == name
    )

def snapshot():
    return {"modules": sorted(sys.modules), "models": salon_models()}

def call(key, role, query):
    context = {"requestId": "probe"}
    if role:
        claims = {"sub": "u1", "custom:tenant_id": "t1", "cognito:groups": f"[{role}]"}
        context["authorizer"] = {"jwt": {"claims": claims}}
    request = {"routeKey": key, "rawPath": "/probe", "requestContext": context}
    return app.handler({**request, "queryStringParameters": query}, None)["statusCode"]

(key, role, query, _), refused = json.loads(sys.argv[1])
at_import = snapshot()
anonymous = call(refused, None, {})
after_refusal = snapshot()
status = call(key, role, query)
print(json.dumps({"at_import": at_import, "anonymous": anonymous, "after_refusal": after_refusal,
                  "status": status, "after_request": snapshot(), "bound": sorted(app.router.bindings)}))
"""


@pytest.mark.parametrize("function", sorted(LAZY_REQUESTS))
def test_a_route_s_code_is_imported_by_its_first_authorized_request(function: str) -> None:
    (key, _, _, expected), refused = LAZY_REQUESTS[function]
    code_dir = REPO / "functions" / function
    env = {"PYTHONPATH": f"{code_dir}:{REPO / 'layers' / 'salon'}", "PATH": "/usr/bin:/bin"}
    argument = json.dumps(LAZY_REQUESTS[function])
    out = subprocess.run(
        [sys.executable, "-c", LAZY_PROBE, argument],
        cwd=code_dir,
        env={**env, "AWS_DEFAULT_REGION": "eu-west-3"},
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(out.stdout)

    def operations(snapshot: dict[str, list[str]]) -> list[str]:
        return [m for m in snapshot["modules"] if m.startswith("operations.")]

    assert "salon.kernel.http" in found["at_import"]["modules"], "the probe did not import the handler"
    for snapshot in (found["at_import"], found["after_refusal"]):  # nothing of any operation
        assert operations(snapshot) == [] and snapshot["models"] == []
        assert {m.split(".")[1] for m in snapshot["modules"] if m.startswith("salon.")} == {"kernel"}
    assert found["anonymous"] == 401
    assert found["status"] == expected
    served = found["bound"]
    assert key in served and refused not in served, "only the called route's module is bound"
    assert len(operations(found["after_request"])) == 1 and found["after_request"]["models"] != []


RENDERING = ("fpdf", "facturx", "lxml", "pypdf", "PIL", "fontTools", "openpyxl")


def test_the_invoices_function_renders_and_exports_only_when_asked() -> None:
    modules = imported_by("invoices", REPO / "functions" / "checkout")

    assert "salon.checkout.invoicing.services.invoices" in modules, "the probe did not import the handler"
    never = [n for n in NEVER_AT_COLD_START + RENDERING if n != "stdnum"]  # its seller's VAT number model
    eager = sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in never))
    assert eager == []
