"""`make openapi`: build the API's one OpenAPI document and write it beside the docs function, which
serves the file. The document follows the route table (``salon.kernel.routes``) and the operations each
HTTP function of template.yaml binds (its handler module's ``router``); `--check` fails when the
checked-in document is stale (a unit test runs the same comparison).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from salon.kernel.http import Binding, Router
from salon.kernel.openapi import document
from salon.kernel.routes import ROUTES

from localcloud.runtime import FunctionCode, load_module
from localcloud.template import REPO_ROOT, load_template

DOCUMENT_PATH = REPO_ROOT / "functions" / "docs" / "openapi.json"


def http_functions(template: dict[str, Any]) -> dict[str, FunctionCode]:
    """Logical id -> code of every function with HttpApi events."""
    resources: dict[str, Any] = template["Resources"]
    found: dict[str, FunctionCode] = {}
    for logical_id, resource in resources.items():
        properties = resource.get("Properties", {})
        events = properties.get("Events", {}).values()
        if resource["Type"] != "AWS::Serverless::Function" or all(e["Type"] != "HttpApi" for e in events):
            continue
        layers = tuple(
            REPO_ROOT / resources[layer["Ref"]]["Properties"]["ContentUri"]
            for layer in properties.get("Layers", [])
        )
        found[logical_id] = FunctionCode(REPO_ROOT / properties["CodeUri"], properties["Handler"], layers)
    return found


def routers(template: dict[str, Any]) -> dict[str, Router | None]:
    """Logical id -> the router its handler module binds, every lazy operation bound (None for a
    function without one)."""
    found: dict[str, Router | None] = {}
    for logical_id, code in http_functions(template).items():
        router = getattr(load_module(f"apidoc-{logical_id}", code, {}), "router", None)
        if isinstance(router, Router):
            router.bind_all()
        found[logical_id] = router if isinstance(router, Router) else None
    return found


def build(template: dict[str, Any]) -> dict[str, Any]:
    bindings: dict[str, Binding] = {}
    for router in routers(template).values():
        if router is not None:
            bindings.update(router.bindings)
    return document(ROUTES, bindings)


def render(openapi: dict[str, Any]) -> str:
    return json.dumps(openapi, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m localcloud.apidoc", description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if the checked-in document is stale")
    options = parser.parse_args(argv)
    text = render(build(load_template()))
    if options.check:
        current = DOCUMENT_PATH.read_text(encoding="utf-8") if DOCUMENT_PATH.exists() else ""
        if current != text:
            print(f"{DOCUMENT_PATH.relative_to(REPO_ROOT)} is stale: run `make openapi`", file=sys.stderr)
            return 1
        return 0
    DOCUMENT_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {DOCUMENT_PATH.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
