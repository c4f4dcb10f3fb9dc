"""Notifications: e-mails and SMS about what happens to a person (registration, meeting requests,
agenda), from domain events, through the notify consumer."""
