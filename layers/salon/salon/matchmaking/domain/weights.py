"""The weight the scheduler gives an approved meeting request.

A mutual request outweighs any one-sided one, then priority 1, priority 2 and normal (3). The bases are
spaced by ``STEP`` so an organiser's boost of a pair (sponsors; 0 to ``MAX_BOOST``) can lift a request
above the next tier on purpose, in whole tiers or less.
"""

from __future__ import annotations

from collections.abc import Mapping

STEP = 10
MUTUAL = 4 * STEP
BY_PRIORITY: Mapping[int, int] = {1: 3 * STEP, 2: 2 * STEP, 3: 1 * STEP}
MAX_BOOST = 3 * STEP


def weight(*, state: str, mutual: bool, priority: int, boost: int = 0) -> int:
    """0 unless approved; else the tier's base plus the pair's boost."""
    if state != "approved":
        return 0
    if not 0 <= boost <= MAX_BOOST:
        raise ValueError(f"a boost is between 0 and {MAX_BOOST}")
    return (MUTUAL if mutual else BY_PRIORITY[priority]) + boost
