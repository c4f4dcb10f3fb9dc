"""Personal-data governance: the registry of what is stored, why, and for how long."""
