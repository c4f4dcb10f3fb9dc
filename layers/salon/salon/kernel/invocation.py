"""The Lambda context of the invocation in progress, for code that reads it later (idempotency's
in-progress expiry needs the remaining time). Kept apart so a handler records it without importing
that code at cold start.

A context variable, not a global: the local cloud runs handlers of several invocations in threads.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

_current: ContextVar[Any] = ContextVar("lambda_context", default=None)


def begin(context: Any) -> None:
    """Record the context of the invocation the calling thread now serves."""
    _current.set(context)


def context() -> Any:
    """The context of the calling thread's invocation (None outside Lambda's handler)."""
    return _current.get()
