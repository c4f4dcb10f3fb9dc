"""Staff review registrations over HTTP (list, read, decide, deactivate a participant) and read the
audit trail. Thin: routes -> services; every read of personal data here is audited by its service.

The cold start loads the router and this table only: each group of routes is a module of
``operations/``, imported with its models and services on the first authorized request for one of its
routes (``salon.kernel.http.Router.lazy``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import salon.kernel.aws  # noqa: F401  boto3 at init, on purpose: every route calls AWS
from salon.kernel import invocation, logs
from salon.kernel.http import Router
from salon.kernel.routes import REGISTRATION_REVIEW

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logs.configure()
router = Router(REGISTRATION_REVIEW, __package__)
router.lazy("GET /events/{event_id}/registrations", "operations.registrations")
router.lazy("GET /registrations/{registration_id}", "operations.registrations")
router.lazy("POST /registrations/{registration_id}/decision", "operations.decisions")
router.lazy(
    "POST /registrations/{registration_id}/participants/{participant_id}/deactivate", "operations.decisions"
)
router.lazy("GET /audit", "operations.audit")


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    invocation.begin(context)
    return router.handle(event)
