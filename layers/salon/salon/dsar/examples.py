"""Request examples of the DSAR routes (OpenAPI)."""

from __future__ import annotations

from typing import Any

REQUEST: dict[str, Any] = {"kind": "access", "email": "ada@example.com", "note": "asked by letter on 2 May"}
VERIFY: dict[str, Any] = {"verified": True, "method": "identity document checked by video call"}
LIFT: dict[str, Any] = {"email": "ada@example.com"}
