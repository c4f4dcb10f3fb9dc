"""A participant's calendar feed over HTTP, public: the secret token in the URL stands for the
participant. Its own function with a read-only role: it imports no module that writes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from salon.kernel import logs
from salon.kernel.caller import Caller
from salon.kernel.http import Download, Router
from salon.kernel.routes import CALENDAR_FEED
from salon.scheduling.services import calendar_feed

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logs.configure()
router = Router(CALENDAR_FEED)


@router.route("GET /calendar/{token}/agenda.ics", response=None, produces=(calendar_feed.MEDIA_TYPE,))
def calendar(caller: Caller, token: str, media_type: str) -> Download:
    domain = (caller.origin or "").removeprefix("https://") or "salon"
    return Download(calendar_feed.calendar(token, domain), f"{media_type}; charset=utf-8", "agenda.ics")


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return router.handle(event)
