"""Checkout rules, pure: no AWS, no HTTP."""
