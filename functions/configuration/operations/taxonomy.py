"""Organisers set an event's taxonomy."""

from __future__ import annotations

from salon.kernel.caller import Caller
from salon.kernel.http import Router
from salon.kernel.routes import CONFIGURATION
from salon.registration import examples
from salon.registration.domain.taxonomy import TaxonomyInput
from salon.registration.responses import TaxonomyOut
from salon.registration.services import configuration

router = Router(CONFIGURATION)


@router.route(
    "PUT /events/{event_id}/taxonomy", response=TaxonomyOut, body=TaxonomyInput, example=examples.TAXONOMY
)
def put_taxonomy(caller: Caller, event_id: str, body: TaxonomyInput) -> TaxonomyOut:
    return configuration.put_taxonomy(caller, event_id, body)
