"""Logic functions: one per use case, called by thin handlers."""
