"""Stripe behind the checkout: PaymentIntents, refunds, cancellations and the webhook's signature.

The keys come from the template's ``StripeSecret`` (JSON: ``secret_key``, ``webhook_secret``,
``account_id``), read once per execution environment. ``STRIPE_API_BASE`` points the client elsewhere
than Stripe (the local cloud's localstripe).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

import stripe

from salon.kernel import aws
from salon.kernel.errors import DependencyUnavailable
from salon.kernel.settings import get_settings

SIGNATURE_TOLERANCE_S = 300


@dataclass(frozen=True)
class StripeKeys:
    secret_key: str
    webhook_secret: str
    account_id: str


@dataclass(frozen=True)
class Intent:
    payment_intent_id: str
    client_secret: str


class BadSignature(Exception):
    """The webhook's body is not signed with our endpoint's secret within the tolerance."""


@cache
def _keys(secret_id: str, endpoint: str, region: str) -> StripeKeys:
    value = json.loads(aws.secretsmanager().get_secret_value(SecretId=secret_id)["SecretString"])
    return StripeKeys(
        str(value["secret_key"]), str(value["webhook_secret"]), str(value.get("account_id", ""))
    )


def stripe_keys() -> StripeKeys:
    secret_id = get_settings().stripe_secret_arn
    if not secret_id:
        raise RuntimeError("STRIPE_SECRET_ARN is not set: the function has no access to the Stripe keys")
    return _keys(secret_id, *aws.where())


class StripeGateway:
    def _client(self) -> stripe.StripeClient:
        base = get_settings().stripe_api_base
        addresses: Any = {"api": base} if base else {}
        return stripe.StripeClient(stripe_keys().secret_key, base_addresses=addresses, max_network_retries=2)

    def create_intent(self, amount_cents: int, currency: str, metadata: dict[str, str], key: str) -> Intent:
        """A PaymentIntent for the order (Stripe's idempotency key: a retried placement gets the same)."""
        try:
            intent = self._client().v1.payment_intents.create(
                params={"amount": amount_cents, "currency": currency.lower(), "metadata": metadata},
                options={"idempotency_key": key},
            )
        except stripe.StripeError as exc:
            raise DependencyUnavailable("the card payment could not be prepared; retry") from exc
        return Intent(intent.id, str(intent.client_secret))

    def intent(self, payment_intent_id: str) -> Intent:
        """A PaymentIntent made earlier, with its client secret (to confirm it again)."""
        try:
            intent = self._client().v1.payment_intents.retrieve(payment_intent_id)
        except stripe.StripeError as exc:
            raise DependencyUnavailable("the card payment could not be read; retry") from exc
        return Intent(intent.id, str(intent.client_secret))

    def cancel_intent(self, payment_intent_id: str) -> bool:
        """Cancel an unpaid PaymentIntent; False when it can no longer be cancelled (it succeeded)."""
        client = self._client()
        try:
            client.v1.payment_intents.cancel(payment_intent_id)
        except stripe.InvalidRequestError:
            intent = client.v1.payment_intents.retrieve(payment_intent_id)
            return intent.status != "succeeded"
        return True

    def refund(self, payment_intent_id: str, amount_cents: int, key: str) -> str:
        try:
            refund = self._client().v1.refunds.create(
                params={"payment_intent": payment_intent_id, "amount": amount_cents},
                options={"idempotency_key": key},
            )
        except stripe.StripeError as exc:
            raise DependencyUnavailable("the card refund failed; retry") from exc
        return str(refund.id)


def verified_event(payload: bytes, signature: str | None) -> dict[str, Any]:
    """The webhook's event, once its signature over the raw body is checked (``BadSignature``)."""
    keys = stripe_keys()
    try:
        stripe.WebhookSignature.verify_header(
            payload.decode("utf-8"), signature or "", keys.webhook_secret, SIGNATURE_TOLERANCE_S
        )
        event = json.loads(payload)
    except (stripe.SignatureVerificationError, UnicodeDecodeError, ValueError) as exc:
        raise BadSignature(str(exc)) from exc
    if not isinstance(event, dict):
        raise BadSignature("not an event")
    return event
