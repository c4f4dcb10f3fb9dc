"""Data-subject requests (access, portability, erasure, restriction, objection, rectification)."""
