"""Pure matchmaking rules: the catalogue card, queries, visibility and suggestions."""
