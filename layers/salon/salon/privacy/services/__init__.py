"""Privacy use cases."""
