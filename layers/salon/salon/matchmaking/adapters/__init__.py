"""Catalogue indexes behind one port: tantivy locally, OpenSearch in production."""
