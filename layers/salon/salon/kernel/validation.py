"""Turn pydantic errors into field errors with ``a.b[0].c`` paths."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from salon.kernel.errors import FieldError, ValidationFailed

_NOISE = {"function-after", "function-before", "function-wrap", "function-plain"}


def loc_to_path(loc: Sequence[int | str]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part in _NOISE or (isinstance(part, str) and part.startswith(("function-", "literal["))):
            continue
        else:
            path += f".{part}" if path else str(part)
    return path or "body"


def _message(error: Mapping[str, Any]) -> str:
    message = str(error.get("msg", "invalid value"))
    return message.removeprefix("Value error, ")


def field_errors(errors: Iterable[Mapping[str, Any]], *, strip: tuple[str, ...] = ()) -> list[FieldError]:
    out: list[FieldError] = []
    for error in errors:
        loc = list(error.get("loc", ()))
        while loc and loc[0] in strip:
            loc.pop(0)
        out.append(FieldError(loc_to_path(loc), _message(error)))
    return out


def invalid(exc: ValidationError, prefix: str = "") -> ValidationFailed:
    errors = field_errors(exc.errors())
    if prefix:
        errors = [
            FieldError(f"{prefix}.{e.field}" if e.field != "body" else prefix, e.message) for e in errors
        ]
    return ValidationFailed(f"{len(errors)} field(s) are invalid", errors=errors)
