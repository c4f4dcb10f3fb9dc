"""Registration use cases: typed inputs, typed results."""
