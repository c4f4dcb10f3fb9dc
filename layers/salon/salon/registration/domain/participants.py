"""What a participant may rectify about themselves."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, field_validator

from salon.kernel.values import Locale, Name, Phone, ShortText, StrictModel

Description = Annotated[str, StringConstraints(max_length=2000)]


class MePatch(StrictModel):
    first_name: Name | None = None
    last_name: Name | None = None
    phone: Phone | None = None
    job_title: ShortText | None = None
    locale: Locale | None = None


class ProfileInput(StrictModel):
    event_id: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = None
    needs: list[Annotated[str, StringConstraints(min_length=1, max_length=64)]] = Field(
        default_factory=list, max_length=100
    )
    offers: list[Annotated[str, StringConstraints(min_length=1, max_length=64)]] = Field(
        default_factory=list, max_length=100
    )
    description: dict[Locale, Description] = Field(default_factory=dict)

    @field_validator("needs", "offers")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("codes must not repeat")
        return value
