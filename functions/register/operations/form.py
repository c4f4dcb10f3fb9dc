"""An event's registration form and taxonomy, as the public reads them."""

from __future__ import annotations

from salon.kernel.caller import Caller
from salon.kernel.http import Router
from salon.kernel.routes import REGISTER
from salon.registration.responses import FormOut, TaxonomyOut
from salon.registration.services import configuration

router = Router(REGISTER)


@router.route("GET /events/{event_id}/form", response=FormOut)
def get_form(caller: Caller, event_id: str) -> FormOut:
    return configuration.get_form(caller, event_id)


@router.route("GET /events/{event_id}/taxonomy", response=TaxonomyOut)
def get_taxonomy(caller: Caller, event_id: str) -> TaxonomyOut:
    return configuration.get_taxonomy(caller, event_id)
