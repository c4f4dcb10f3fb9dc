"""Checkout: products, orders, payments and refunds, and invoicing (``salon.checkout.invoicing``)."""
