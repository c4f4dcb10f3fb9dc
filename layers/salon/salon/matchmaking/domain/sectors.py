"""The event's sector taxonomy as a tree: ancestors, levels and labels of its codes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from salon.kernel.values import Locale
from salon.registration.domain.taxonomy import TaxonomyNode


class SectorTree:
    """Read-only view of a validated taxonomy (unique codes, known parents, no cycles)."""

    def __init__(self, nodes: Sequence[TaxonomyNode]) -> None:
        self._parent = {node.code: node.parent for node in nodes}
        self._labels = {node.code: {"fr": node.labels.fr, "en": node.labels.en} for node in nodes}

    def __contains__(self, code: object) -> bool:
        return code in self._parent

    def lineage(self, code: str) -> list[str]:
        """The code and its ancestors, the code first; an unknown code stands alone."""
        chain = [code]
        parent = self._parent.get(code)
        while parent is not None and parent not in chain:
            chain.append(parent)
            parent = self._parent.get(parent)
        return chain

    def level(self, code: str) -> int:
        """1 for a root, 3 for a leaf of a full-depth taxonomy."""
        return len(self.lineage(code))

    def expand(self, codes: Iterable[str]) -> tuple[str, ...]:
        """The codes with all their ancestors, sorted, so a level-1 code matches its descendants."""
        return tuple(sorted({ancestor for code in codes for ancestor in self.lineage(code)}))

    def label(self, code: str, locale: Locale) -> str:
        return self._labels.get(code, {}).get(locale, code)

    def labels(self, codes: Iterable[str], locale: Locale) -> list[str]:
        return [self.label(code, locale) for code in codes]
