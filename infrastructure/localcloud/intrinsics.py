"""Just enough CloudFormation intrinsic handling to hand resources to moto by value.

Resources that moto's CloudFormation cannot create are provisioned through their service APIs; every
`Ref`, `Fn::GetAtt` and `Fn::Sub` reference to them in the rest of the template is then replaced by
the real value, so moto's stack sees plain strings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_SUB_REFERENCE = re.compile(r"\$\{([A-Za-z0-9:_.]+)\}")


def substitute(node: Any, values: Mapping[str, str]) -> Any:
    """Replace references found in `values` ("Name" for Ref, "Name.Attribute" for GetAtt).

    Unknown references are left for CloudFormation to resolve.
    """
    if isinstance(node, list):
        return [substitute(item, values) for item in node]
    if not isinstance(node, dict):
        return node
    if len(node) == 1:
        ((key, argument),) = node.items()
        if key == "Ref" and isinstance(argument, str) and argument in values:
            return values[argument]
        if key == "Fn::GetAtt" and isinstance(argument, list):
            dotted = ".".join(str(part) for part in argument)
            if dotted in values:
                return values[dotted]
        if key == "Fn::Sub":
            return _substitute_sub(argument, values)
        if key == "Fn::Join" and isinstance(argument, list) and len(argument) == 2:
            parts = substitute(argument[1], values)
            if isinstance(parts, list) and all(isinstance(part, str) for part in parts):
                return str(argument[0]).join(parts)
            return {key: [argument[0], parts]}
    return {key: substitute(value, values) for key, value in node.items()}


def _substitute_sub(argument: Any, values: Mapping[str, str]) -> Any:
    if isinstance(argument, str):
        text, local_values = argument, {}
    else:
        text, local_values = argument[0], substitute(argument[1], values)

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in local_values or name not in values:
            return match.group(0)
        return values[name]

    replaced = _SUB_REFERENCE.sub(replace, text)
    if not local_values and not _SUB_REFERENCE.search(replaced):
        return replaced
    return {"Fn::Sub": replaced if not local_values else [replaced, local_values]}


def resolved(node: Any, values: Mapping[str, str]) -> Any:
    """`substitute`, then insist nothing is left to resolve (for properties sent to a service API)."""
    result = substitute(node, values)
    leftover = _find_intrinsic(result)
    if leftover is not None:
        raise ValueError(f"unresolved intrinsic {leftover!r}")
    return result


def _find_intrinsic(node: Any) -> Any:
    if isinstance(node, list):
        for item in node:
            found = _find_intrinsic(item)
            if found is not None:
                return found
    elif isinstance(node, dict):
        if len(node) == 1 and next(iter(node)) in {"Ref", "Condition"} | _FUNCTIONS:
            return node
        for value in node.values():
            found = _find_intrinsic(value)
            if found is not None:
                return found
    return None


_FUNCTIONS = {
    "Fn::GetAtt",
    "Fn::Sub",
    "Fn::Join",
    "Fn::If",
    "Fn::Select",
    "Fn::Split",
    "Fn::ImportValue",
    "Fn::FindInMap",
    "Fn::Base64",
}
