"""What a sender raises when the provider refused or could not be reached."""


class SendFailed(Exception):
    """Not sent: the message is retried (SQS redelivers the domain event)."""
