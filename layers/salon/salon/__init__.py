"""Salon shared domain package (Lambda layer ``SalonLayer``)."""
