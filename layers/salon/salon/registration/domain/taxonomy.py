"""Three-level sector taxonomy with fr/en labels."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from salon.kernel.errors import FieldError
from salon.kernel.values import ITEM_BUDGET, Labels, StrictModel, check_size

MAX_DEPTH = 3
NodeCode = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9][A-Z0-9._-]{0,63}$")]


class TaxonomyNode(StrictModel):
    code: NodeCode
    parent: NodeCode | None = None
    labels: Labels


class TaxonomyInput(StrictModel):
    nodes: list[TaxonomyNode] = Field(max_length=2000)
    version: int | None = Field(
        default=None,
        ge=0,
        description="The version this edit replaces, as last read (0: none yet); 409 if it changed since.",
    )

    @model_validator(mode="after")
    def _fits(self) -> TaxonomyInput:
        check_size(self.model_dump(mode="json"), ITEM_BUDGET, "the taxonomy")
        return self


class Taxonomy(BaseModel):
    model_config = ConfigDict(defer_build=True)

    event_id: str
    nodes: list[TaxonomyNode]
    version: int
    updated_at: datetime

    def codes(self) -> set[str]:
        return {node.code for node in self.nodes}


def taxonomy_errors(nodes: list[TaxonomyNode]) -> list[FieldError]:
    """Unique codes, known parents, no cycles, depth at most three."""
    errors: list[FieldError] = []
    parents: dict[str, str | None] = {}
    for i, node in enumerate(nodes):
        if node.code in parents:
            errors.append(FieldError(f"nodes[{i}].code", "duplicate code"))
        parents[node.code] = node.parent
    for i, node in enumerate(nodes):
        if node.parent is not None and node.parent not in parents:
            errors.append(FieldError(f"nodes[{i}].parent", "unknown parent code"))
            continue
        depth, seen, cursor = 1, {node.code}, node.parent
        while cursor is not None:
            if cursor in seen:
                errors.append(FieldError(f"nodes[{i}].parent", "cycle in the taxonomy"))
                break
            seen.add(cursor)
            depth += 1
            cursor = parents.get(cursor)
        else:
            if depth > MAX_DEPTH:
                errors.append(FieldError(f"nodes[{i}].parent", f"deeper than {MAX_DEPTH} levels"))
    return errors
