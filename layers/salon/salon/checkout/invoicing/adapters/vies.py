"""Is a VAT number registered? Asked of the European Commission's VIES service in production; the local
cloud, which is offline, uses the stub (the number's format and checksum are checked before either)."""

from __future__ import annotations

from typing import Protocol

import requests

from salon.kernel.errors import DependencyUnavailable

VIES_URL = "https://ec.europa.eu/taxation_customs/vies/rest-api/ms/{country}/vat/{number}"
TIMEOUT_SECONDS = 5


class VatRegistry(Protocol):
    def is_registered(self, vat_number: str) -> bool: ...


class Vies:
    def __init__(self, url: str = VIES_URL) -> None:
        self.url = url

    def is_registered(self, vat_number: str) -> bool:
        country, number = vat_number[:2], vat_number[2:]
        try:
            response = requests.get(self.url.format(country=country, number=number), timeout=TIMEOUT_SECONDS)
            response.raise_for_status()
            answer = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise DependencyUnavailable("the VIES service cannot check the VAT number now; retry") from exc
        if "isValid" not in answer:  # e.g. {"userError": "MS_UNAVAILABLE"}: the member state is not answering
            raise DependencyUnavailable(
                f"VIES cannot check the VAT number now ({answer.get('userError')}); retry"
            )
        return bool(answer["isValid"])


class StubVies:
    """The local cloud's VIES: every number that passed the format and checksum check is registered."""

    def is_registered(self, vat_number: str) -> bool:
        return True


def vat_registry(check: str) -> VatRegistry:
    """The adapter the ``VAT_NUMBER_CHECK`` setting names: ``vies`` (production) or ``stub``."""
    return StubVies() if check == "stub" else Vies()
