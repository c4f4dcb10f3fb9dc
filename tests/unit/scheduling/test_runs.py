"""A run's publishing states: only a ready run publishes, a publishing run ends published or goes back
to ready (its publish step failed), and a published run never moves again."""

from __future__ import annotations

from salon.scheduling.domain.runs import ENDED, NEXT, may_follow


def test_only_a_ready_run_starts_publishing_and_only_a_publishing_run_is_published() -> None:
    assert may_follow("publishing") == ["ready"]
    assert may_follow("published") == ["publishing"]


def test_a_failed_publish_puts_the_run_back_to_ready() -> None:
    assert may_follow("ready") == ["checking", "publishing"]
    assert NEXT["published"] == frozenset()


def test_a_publishing_run_holds_no_active_run_marker() -> None:
    assert "publishing" in ENDED
