"""Domain code knows no boto3 and no HTTP: every module under ``salon/<area>/domain/`` and everything it
imports from the salon package, transitively, stays clear of AWS SDKs and HTTP libraries."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SALON = Path(__file__).resolve().parents[3] / "layers" / "salon" / "salon"
FORBIDDEN = ("boto3", "botocore", "requests", "urllib3", "http", "aws_lambda_powertools.event_handler")


def module_path(name: str) -> Path | None:
    relative = Path(*name.split("."))
    for candidate in (SALON.parent / relative.with_suffix(".py"), SALON.parent / relative / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def forbidden_reach(start: str) -> list[str]:
    """The chains by which ``start`` reaches a forbidden module, if any."""
    found: list[str] = []
    seen: set[str] = set()
    stack = [(start, [start])]
    while stack:
        name, chain = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        path = module_path(name)
        if path is None:
            continue
        for imported in sorted(imports_of(path)):
            if any(imported == f or imported.startswith(f + ".") for f in FORBIDDEN):
                found.append(" -> ".join([*chain, imported]))
            elif imported.startswith("salon."):
                stack.append((imported, [*chain, imported]))
    return found


def domain_modules() -> list[str]:
    return sorted(
        ".".join(path.relative_to(SALON.parent).with_suffix("").parts) for path in SALON.glob("*/domain/*.py")
    )


def test_every_area_has_a_domain() -> None:
    assert "salon.registration.domain.registrations" in domain_modules()


@pytest.mark.parametrize("module", domain_modules())
def test_domain_module_reaches_no_sdk_and_no_http(module: str) -> None:
    assert forbidden_reach(module) == []


def test_the_check_sees_a_transitive_sdk_import() -> None:
    chains = forbidden_reach("salon.registration.adapters.identity")
    assert "salon.registration.adapters.identity -> salon.kernel.aws -> boto3" in chains
