"""Registration forms: typed fields, required, show-if conditions, per-locale labels, levels."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    StringConstraints,
    model_serializer,
    model_validator,
)

from salon.kernel.errors import FieldError
from salon.kernel.values import (
    ITEM_BUDGET,
    Labels,
    StrictModel,
    check_country,
    check_email,
    check_phone,
    check_size,
)

FieldType = Literal[
    "text", "email", "phone", "country", "select", "multi_select", "taxonomy", "yes_no", "consent"
]
Level = Literal["company", "participant"]
FieldKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
Scalar = str | bool | int

BUILTIN_COMPANY = ("name", "country", "website")
BUILTIN_PARTICIPANT = ("first_name", "last_name", "email", "phone", "job_title", "locale")
RESERVED = frozenset(BUILTIN_COMPANY + BUILTIN_PARTICIPANT + ("answers", "type"))


class Option(StrictModel):
    value: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    labels: Labels


class ShowIf(StrictModel):
    field: FieldKey
    equals: Scalar | None = None
    in_: list[Scalar] | None = Field(default=None, alias="in", max_length=100)

    model_config = StrictModel.model_config | {"populate_by_name": True, "serialize_by_alias": True}

    @model_validator(mode="after")
    def _one_condition(self) -> ShowIf:
        if (self.equals is None) == (self.in_ is None):
            raise ValueError("show_if needs exactly one of 'equals' or 'in'")
        return self

    @model_serializer(mode="wrap")
    def _compact(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        return {k: v for k, v in data.items() if v is not None}

    def holds(self, value: Any) -> bool:
        candidates = [self.equals] if self.in_ is None else list(self.in_)
        if isinstance(value, list):
            return any(item in candidates for item in value)
        return value in candidates


class FormField(StrictModel):
    key: FieldKey
    type: FieldType
    level: Level = "company"
    required: bool = False
    labels: Labels
    help: Labels | None = None
    options: list[Option] | None = Field(default=None, max_length=300)
    multiple: bool = False
    max_length: int = Field(default=1000, ge=1, le=5000)
    show_if: ShowIf | None = None

    @model_validator(mode="after")
    def _options(self) -> FormField:
        needs_options = self.type in ("select", "multi_select")
        if needs_options and not self.options:
            raise ValueError(f"a {self.type} field needs options")
        if not needs_options and self.options:
            raise ValueError(f"a {self.type} field takes no options")
        if self.options and len({o.value for o in self.options}) != len(self.options):
            raise ValueError("option values must be unique")
        return self


class FormInput(StrictModel):
    fields: list[FormField] = Field(default_factory=list, max_length=200)
    version: int | None = Field(
        default=None,
        ge=0,
        description="The version this edit replaces, as last read (0: none yet); 409 if it changed since.",
    )

    @model_validator(mode="after")
    def _fits(self) -> FormInput:
        check_size(self.model_dump(mode="json"), ITEM_BUDGET, "the form")
        return self


class Form(BaseModel):
    model_config = ConfigDict(defer_build=True)

    event_id: str
    fields: list[FormField]
    version: int
    updated_at: datetime | None = None

    def at(self, level: Level) -> list[FormField]:
        return [f for f in self.fields if f.level == level]


def form_errors(fields: list[FormField]) -> list[FieldError]:
    """Unique, non-reserved keys; show-if refers to an earlier field a participant field may see."""
    errors: list[FieldError] = []
    earlier: dict[str, FormField] = {}
    for i, field in enumerate(fields):
        if field.key in RESERVED:
            errors.append(FieldError(f"fields[{i}].key", "is a built-in field name"))
        if field.key in earlier:
            errors.append(FieldError(f"fields[{i}].key", "duplicate key"))
        if field.show_if is not None:
            target = earlier.get(field.show_if.field)
            if target is None:
                errors.append(FieldError(f"fields[{i}].show_if.field", "must name an earlier field"))
            elif target.level == "participant" and field.level == "company":
                errors.append(
                    FieldError(
                        f"fields[{i}].show_if.field", "a company field cannot depend on a participant field"
                    )
                )
        earlier.setdefault(field.key, field)
    return errors


def is_answered(field: FormField, value: Any) -> bool:
    if value is None or value == "" or value == []:
        return False
    return not (field.type == "consent" and value is not True)


def visible_fields(
    fields: list[FormField], answers: Mapping[str, Any], context: Mapping[str, Any]
) -> list[FormField]:
    """Fields shown given the answers (``context`` = company answers seen by participant fields)."""
    shown: dict[str, bool] = {}
    out: list[FormField] = []
    for field in fields:
        visible = True
        if field.show_if is not None:
            ref = field.show_if.field
            if ref in shown:
                visible = shown[ref] and field.show_if.holds(answers.get(ref))
            else:
                visible = ref in context and field.show_if.holds(context[ref])
        shown[field.key] = visible
        if visible:
            out.append(field)
    return out


def _coerce(field: FormField, value: Any, taxonomy: set[str]) -> Any:
    """Return the clean value or raise ValueError with a human message."""
    kind = field.type
    if kind in ("yes_no", "consent"):
        if not isinstance(value, bool):
            raise ValueError("must be true or false")
        return value
    if kind == "multi_select" or (kind == "taxonomy" and field.multiple):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError("must be a list of strings")
        if len(set(value)) != len(value):
            raise ValueError("values must not repeat")
        allowed = taxonomy if kind == "taxonomy" else {o.value for o in field.options or []}
        unknown = [v for v in value if v not in allowed]
        if unknown:
            raise ValueError(f"unknown value(s): {', '.join(unknown[:5])}")
        return value
    if not isinstance(value, str):
        raise ValueError("must be a string")
    if kind == "text":
        if len(value) > field.max_length:
            raise ValueError(f"at most {field.max_length} characters")
        return value.strip()
    if kind == "email":
        return check_email(value)
    if kind == "phone":
        return check_phone(value)
    if kind == "country":
        return check_country(value)
    allowed = taxonomy if kind == "taxonomy" else {o.value for o in field.options or []}
    if value not in allowed:
        raise ValueError("unknown taxonomy code" if kind == "taxonomy" else "not one of the options")
    return value


def check_answers(
    fields: list[FormField],
    answers: Mapping[str, Any],
    *,
    context: Mapping[str, Any],
    taxonomy: set[str],
    path: str,
) -> tuple[dict[str, Any], list[FieldError]]:
    """Validate the answers of one level; hidden fields are dropped and never required."""
    errors: list[FieldError] = []
    known = {f.key for f in fields}
    for key in answers:
        if key not in known:
            errors.append(FieldError(f"{path}.{key}", "unknown field"))
    clean: dict[str, Any] = {}
    for field in fields:
        if field.key in answers:
            try:
                clean[field.key] = _coerce(field, answers[field.key], taxonomy)
            except ValueError as exc:
                errors.append(FieldError(f"{path}.{field.key}", str(exc)))
    shown = visible_fields(fields, clean, context)
    shown_keys = {f.key for f in shown}
    for field in shown:
        if field.required and not is_answered(field, clean.get(field.key)):
            message = "consent is required" if field.type == "consent" else "is required"
            if not any(e.field == f"{path}.{field.key}" for e in errors):
                errors.append(FieldError(f"{path}.{field.key}", message))
    return {k: v for k, v in clean.items() if k in shown_keys}, errors
