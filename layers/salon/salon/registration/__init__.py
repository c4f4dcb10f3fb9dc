"""Registration area: events, forms, taxonomy, participation types, registrations, accounts, /me."""
