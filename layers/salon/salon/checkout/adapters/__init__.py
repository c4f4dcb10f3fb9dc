"""DynamoDB and Stripe behind the checkout services."""
