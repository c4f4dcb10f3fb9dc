"""Events: key dates and their order, locales, currency, VAT mode, deposit terms, publication status."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from salon.kernel.errors import FieldError
from salon.kernel.values import LOCALES, Instant, Locale, LocalizedText, StrictModel

VatMode = Literal["incl", "excl"]
EventStatus = Literal["draft", "published", "closed"]


def _check_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError("not an IANA time zone") from exc
    return value


TimeZone = Annotated[str, StringConstraints(min_length=1, max_length=64), AfterValidator(_check_zone)]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]

KEY_DATE_NAMES: tuple[str, ...] = (
    "registration_opens_at",
    "registration_closes_at",
    "catalogue_opens_at",
    "requests_deadline_at",
    "answers_deadline_at",
    "agenda_published_at",
    "sms_activation_at",
)

# (earlier, later, strict): each pair is checked when both dates are known.
ORDER_RULES: tuple[tuple[str, str, bool], ...] = (
    ("starts_at", "ends_at", True),
    ("registration_opens_at", "registration_closes_at", True),
    ("registration_opens_at", "starts_at", True),
    ("catalogue_opens_at", "starts_at", False),
    ("requests_deadline_at", "starts_at", False),
    ("answers_deadline_at", "starts_at", False),
    ("registration_closes_at", "ends_at", False),
    ("registration_opens_at", "catalogue_opens_at", False),
    ("catalogue_opens_at", "requests_deadline_at", False),
    ("requests_deadline_at", "answers_deadline_at", False),
    ("answers_deadline_at", "agenda_published_at", False),
    ("agenda_published_at", "starts_at", False),
    ("agenda_published_at", "sms_activation_at", False),
    ("sms_activation_at", "ends_at", False),
)


class KeyDates(StrictModel):
    registration_opens_at: Instant | None = None
    registration_closes_at: Instant | None = None
    catalogue_opens_at: Instant | None = None
    requests_deadline_at: Instant | None = None
    answers_deadline_at: Instant | None = None
    agenda_published_at: Instant | None = None
    sms_activation_at: Instant | None = None


class Branding(StrictModel):
    """How the event's messages look: the sender's display name, where replies go, the logo in e-mails."""

    sender_name: (
        Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r'^[^<>"\r\n@]+$')] | None
    ) = None
    reply_to: (
        Annotated[str, StringConstraints(max_length=254, pattern=r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")] | None
    ) = None
    logo_url: Annotated[str, StringConstraints(max_length=500, pattern=r"^https://[^\s\"<>]+$")] | None = None


class DepositTerms(StrictModel):
    """The organiser lets buyers pay in two instalments: ``percent`` of the total when ordering (the
    deposit), the rest (the balance) due ``balance_due_days`` days before the event starts."""

    percent: int = Field(ge=1, le=99)
    balance_due_days: int = Field(ge=0, le=365)


def key_date_errors(starts_at: datetime, ends_at: datetime, key_dates: KeyDates) -> list[FieldError]:
    """Every violated order rule, as field errors on the later date."""
    known: dict[str, datetime] = {"starts_at": starts_at, "ends_at": ends_at}
    known.update({k: v for k, v in key_dates.model_dump().items() if v is not None})
    errors: list[FieldError] = []
    for earlier, later, strict in ORDER_RULES:
        if earlier not in known or later not in known:
            continue
        bad = known[later] <= known[earlier] if strict else known[later] < known[earlier]
        if bad:
            if later not in ("starts_at", "ends_at"):
                where = f"key_dates.{later}"
            elif earlier not in ("starts_at", "ends_at"):
                where = f"key_dates.{earlier}"
            else:
                where = later
            relation = "before" if strict else "on or before"
            errors.append(FieldError(where, f"{earlier} must be {relation} {later}"))
    return errors


class EventCreate(StrictModel):
    name: LocalizedText
    starts_at: Instant
    ends_at: Instant
    time_zone: TimeZone
    locales: list[Locale] = Field(default_factory=lambda: list(LOCALES), min_length=1, max_length=2)
    currency: Currency = "EUR"
    vat_mode: VatMode = "excl"
    status: EventStatus = "draft"
    key_dates: KeyDates = Field(default_factory=KeyDates)
    branding: Branding = Field(default_factory=Branding)
    deposit: DepositTerms | None = None  # None: every order is paid in one go

    @model_validator(mode="after")
    def _coherent(self) -> EventCreate:
        if len(set(self.locales)) != len(self.locales):
            raise ValueError("locales must not repeat")
        if not self.name.locales() & set(self.locales):
            raise ValueError("name needs a text in at least one of the event locales")
        return self


class EventPatch(StrictModel):
    name: LocalizedText | None = None
    starts_at: Instant | None = None
    ends_at: Instant | None = None
    time_zone: TimeZone | None = None
    locales: list[Locale] | None = Field(default=None, min_length=1, max_length=2)
    currency: Currency | None = None
    vat_mode: VatMode | None = None
    status: EventStatus | None = None
    key_dates: dict[str, Instant | None] | None = None
    branding: Branding | None = None
    deposit: DepositTerms | None = None  # null: deposits no longer offered


class Event(BaseModel):
    """An event as stored and returned."""

    model_config = ConfigDict(defer_build=True)

    event_id: str
    tenant_id: str
    name: LocalizedText
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    locales: list[Locale]
    currency: str
    vat_mode: VatMode
    status: EventStatus
    key_dates: KeyDates
    branding: Branding = Field(default_factory=Branding)
    deposit: DepositTerms | None = None
    created_at: datetime
    updated_at: datetime
    version: int = 1

    def registration_open(self, now: datetime) -> bool:
        opens, closes = self.key_dates.registration_opens_at, self.key_dates.registration_closes_at
        if self.status != "published" or opens is None or closes is None:
            return False
        return opens <= now < closes


def apply_patch(event: Event, patch: EventPatch, now: datetime) -> tuple[EventCreate, list[FieldError]]:
    """Merge a patch into an event and re-validate the whole; returns the merged input and errors."""
    merged: dict[str, Any] = {
        "name": event.name.model_dump(exclude_none=True),
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "time_zone": event.time_zone,
        "locales": list(event.locales),
        "currency": event.currency,
        "vat_mode": event.vat_mode,
        "status": event.status,
        "key_dates": event.key_dates.model_dump(),
        "branding": event.branding.model_dump(exclude_none=True),
        "deposit": event.deposit.model_dump() if event.deposit else None,
    }
    for field in patch.model_fields_set:
        value = getattr(patch, field)
        if field == "key_dates":
            unknown = sorted(set(value or {}) - set(KEY_DATE_NAMES))
            if unknown:
                return EventCreate.model_construct(), [
                    FieldError(f"key_dates.{name}", "unknown key date") for name in unknown
                ]
            merged["key_dates"].update(value or {})
        elif field == "deposit":
            merged["deposit"] = value.model_dump() if value else None
        elif value is None:
            return EventCreate.model_construct(), [FieldError(field, "cannot be null")]
        else:
            merged[field] = value.model_dump(exclude_none=True) if isinstance(value, BaseModel) else value
    candidate = EventCreate.model_validate(merged)
    return candidate, key_date_errors(candidate.starts_at, candidate.ends_at, candidate.key_dates)


EVENT_CHANGED = "event.changed"  # the event's dates, deadlines or time zone changed (reminders move)


def dates_changed(before: Event, after: Event) -> bool:
    """Whether a change moves the event in time: its start or end, a key date or its time zone."""
    return (before.starts_at, before.ends_at, before.time_zone, before.key_dates) != (
        after.starts_at,
        after.ends_at,
        after.time_zone,
        after.key_dates,
    )
