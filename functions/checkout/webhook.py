"""Stripe's webhook (public: Stripe signs, Salon checks the signature on the raw body). Thin: the
processing is ``salon.checkout.services.stripe_webhook``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from salon.checkout.adapters.stripe_gateway import BadSignature
from salon.checkout.services.stripe_webhook import Received, receive
from salon.kernel import logs
from salon.kernel.caller import Caller
from salon.kernel.errors import FieldError, ValidationFailed
from salon.kernel.http import RawRequest, Router
from salon.kernel.routes import STRIPE_WEBHOOK

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logs.configure()
router = Router(STRIPE_WEBHOOK)


@router.route("POST /payments/stripe/webhook", response=Received, raw=True)
def stripe_webhook(caller: Caller, raw: RawRequest) -> Received:
    try:
        return receive(raw.body, raw.headers.get("stripe-signature"))
    except BadSignature as exc:
        raise ValidationFailed(
            "the Stripe signature does not hold", errors=[FieldError("Stripe-Signature", "invalid signature")]
        ) from exc


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return router.handle(event)
