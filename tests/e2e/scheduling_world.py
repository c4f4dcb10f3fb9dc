"""Dates shared by the scheduling e2e tests (their `fair` fixture lives in tests/e2e/conftest.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

NOW = datetime.now(UTC)
DAY = (NOW + timedelta(days=30)).date().isoformat()
