"""Pure domain: pydantic models and rules. No boto3, no HTTP."""
