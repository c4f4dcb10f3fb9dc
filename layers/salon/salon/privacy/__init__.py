"""Privacy area: the audit trail today; subject-access and erasure workflows next."""
