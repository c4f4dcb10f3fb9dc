"""Matchmaking: the participants' catalogue, its search and suggestions."""
