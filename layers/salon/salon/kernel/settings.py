"""Environment configuration, parsed once into a validated model."""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Settings(BaseModel):
    """Environment variables the shared package reads (names are the upper-cased field names)."""

    model_config = ConfigDict(defer_build=True, frozen=True, extra="ignore")

    table_name: str = Field(min_length=1)
    audit_table_name: str = Field(min_length=1)
    idempotency_table_name: str = Field(min_length=1)
    event_bus_name: str = Field(min_length=1)
    user_pool_id: str = ""  # only the functions that manage logins have it (and may call Cognito)
    user_pool_client_id: str = ""
    person_key_secret_arn: str = ""  # only functions that hash e-mails have it (and may read it)
    powertools_service_name: str = "salon"
    idempotency_ttl_seconds: int = Field(default=86_400, ge=60)
    # The catalogue's engine (the template's SearchEngine parameter): OpenSearch in production, the
    # in-process tantivy engine in the local cloud; only the search functions read these.
    search_engine: Literal["opensearch", "tantivy"] = "opensearch"
    search_endpoint: str = ""  # the OpenSearch domain's endpoint (host name)
    # Invoicing (the functions that issue or serve invoices): the documents' bucket, and who confirms a
    # buyer's VAT number is registered (VIES in production, a stub in the offline local cloud).
    invoice_bucket: str = ""
    vat_number_check: Literal["vies", "stub"] = "vies"
    # Checkout: the secret holding the Stripe keys (only the checkout functions have it), Stripe's API
    # address when it is not Stripe's own (the local cloud's localstripe), and how long an unpaid
    # transfer, cheque or purchase-order order holds its seats.
    stripe_secret_arn: str = ""
    stripe_api_base: str = ""
    offline_payment_days: int = Field(default=14, ge=1, le=120)
    # Notifications (the notify functions only): the From address (an address of a verified SES
    # identity), the SES configuration set whose event destinations report bounces and complaints,
    # and the web app's base URL the sign-in and agenda links point to.
    notify_sender: str = ""
    notify_configuration_set: str = ""
    app_url: str = ""
    notify_queue_url: str = ""  # where a mailing's recipients are queued (the notify API only)
    # The notify consumer's sending pace: e-mails per second for the account (0: SES GetAccount's
    # MaxSendRate), shared between the queue mapping's concurrent instances (its MaximumConcurrency).
    notify_max_send_rate: float = Field(default=0, ge=0, le=10_000)
    notify_concurrency: int = Field(default=2, ge=1, le=1000)
    # Reminders (the notify consumer only): what its EventBridge Scheduler schedules invoke, and the
    # role Scheduler invokes it with.
    reminder_function_arn: str = ""
    reminder_schedule_role_arn: str = ""
    # Contact re-qualification: the days a contact has to confirm their data before the organiser
    # sees them flagged (the template's RequalificationDelayDays; the link expires with it).
    requalification_delay_days: int = Field(default=30, ge=1, le=150)


def get_settings() -> Settings:
    """The validated settings; parsed once per distinct environment (once per cold start in Lambda)."""
    values = tuple(
        (name, os.environ[name.upper()]) for name in Settings.model_fields if name.upper() in os.environ
    )
    return _parse(values)


@lru_cache(maxsize=4)
def _parse(values: tuple[tuple[str, str], ...]) -> Settings:
    return Settings.model_validate(dict(values))


def reset_settings() -> None:
    """Forget the parsed environments (tests change them)."""
    _parse.cache_clear()
