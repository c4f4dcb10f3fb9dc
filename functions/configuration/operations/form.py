"""Organisers set an event's registration form."""

from __future__ import annotations

from salon.kernel.caller import Caller
from salon.kernel.http import Router
from salon.kernel.routes import CONFIGURATION
from salon.registration import examples
from salon.registration.domain.forms import FormInput
from salon.registration.responses import FormOut
from salon.registration.services import configuration

router = Router(CONFIGURATION)


@router.route("PUT /events/{event_id}/form", response=FormOut, body=FormInput, example=examples.FORM)
def put_form(caller: Caller, event_id: str, body: FormInput) -> FormOut:
    return configuration.put_form(caller, event_id, body)
