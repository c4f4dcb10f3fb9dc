"""The public registration flow over HTTP: an event's form and taxonomy, submitting a registration, and
a participant's own record (/me). Thin: routes -> services.

Organisers' configuration and staff review are functions of their own (functions/configuration,
functions/review). Here the cold start loads the router and this table only: each group of routes is
a module of ``operations/``, imported with its models and services on the first authorized request
for one of its routes (``salon.kernel.http.Router.lazy``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import salon.kernel.aws  # noqa: F401  boto3 at init, on purpose: every route but /health calls AWS
from salon.kernel import invocation, logs
from salon.kernel.http import Router
from salon.kernel.routes import REGISTER

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logs.configure()
router = Router(REGISTER, __package__)
router.lazy("GET /health", "operations.health")
router.lazy("GET /events/{event_id}/form", "operations.form")
router.lazy("GET /events/{event_id}/taxonomy", "operations.form")
router.lazy("POST /events/{event_id}/registrations", "operations.submission")
router.lazy("GET /me", "operations.me")
router.lazy("PATCH /me", "operations.me")
router.lazy("PUT /me/profile", "operations.me")
router.lazy("POST /me/requalify", "operations.requalify")
router.lazy("POST /requalify/{token}", "operations.requalify")
router.lazy("POST /consents/{token}", "operations.consent")


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    invocation.begin(context)
    return router.handle(event)
