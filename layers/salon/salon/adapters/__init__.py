"""boto3 adapters: DynamoDB repository, EventBridge publisher, Cognito identity."""
