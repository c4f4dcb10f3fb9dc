"""Organisers set an event up over HTTP: the event, its registration form, participation types and
taxonomy. Thin: routes -> services (reading the form and taxonomy is public: the register function).

The cold start loads the router and this table only: each group of routes is a module of
``operations/``, imported with its models and services on the first authorized request for one of its
routes (``salon.kernel.http.Router.lazy``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import salon.kernel.aws  # noqa: F401  boto3 at init, on purpose: every route calls AWS
from salon.kernel import invocation, logs
from salon.kernel.http import Router
from salon.kernel.routes import CONFIGURATION

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logs.configure()
router = Router(CONFIGURATION, __package__)
router.lazy("POST /events", "operations.events")
router.lazy("GET /events", "operations.events")
router.lazy("GET /events/{event_id}", "operations.events")
router.lazy("PATCH /events/{event_id}", "operations.events")
router.lazy("PUT /events/{event_id}/form", "operations.form")
router.lazy("POST /events/{event_id}/types", "operations.participation_types")
router.lazy("GET /events/{event_id}/types", "operations.participation_types")
router.lazy("PUT /events/{event_id}/taxonomy", "operations.taxonomy")


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    invocation.begin(context)
    return router.handle(event)
