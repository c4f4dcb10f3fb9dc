"""Invoices and credit notes: amounts and VAT, lawful mentions, gapless numbering, PDF and Factur-X
documents, the accounting journal. Its entry points for checkout are ``services.issue``."""
