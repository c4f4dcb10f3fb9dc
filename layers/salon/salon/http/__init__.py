"""HTTP concerns: problem+json, principal extraction, route helpers."""
