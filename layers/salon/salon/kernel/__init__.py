"""Shared kernel: table keys and access, principal and policy, errors, problem mapping, settings, the
personal-data registry, audit recording, idempotency and event publication."""
