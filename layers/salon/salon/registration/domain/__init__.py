"""Pure registration rules and models: no boto3, no HTTP."""
