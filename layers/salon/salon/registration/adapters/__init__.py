"""Registration storage (DynamoDB) and accounts (Cognito)."""
