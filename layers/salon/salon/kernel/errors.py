"""Domain and service exceptions. ``salon.kernel.problems`` is the one place that maps them to HTTP."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One invalid input, addressed with a dotted/indexed path such as ``participants[0].email``."""

    field: str
    message: str


class SalonError(Exception):
    """Base class of every expected (non-bug) failure."""

    kind = "error"

    def __init__(self, detail: str, *, errors: list[FieldError] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []


class ValidationFailed(SalonError):
    kind = "validation"


class MalformedBody(SalonError):
    """A body that is not JSON at all (not decodable, not parseable)."""

    kind = "malformed-body"


class NotFound(SalonError):
    kind = "not-found"


class Unauthenticated(SalonError):
    kind = "unauthenticated"


class Forbidden(SalonError):
    kind = "forbidden"


class UnsupportedMediaType(SalonError):
    """A request body in a representation the API does not read; ``method`` selects the hint header."""

    kind = "unsupported-media-type"

    def __init__(self, detail: str, *, supported: str, method: str, errors: list[FieldError]) -> None:
        super().__init__(detail, errors=errors)
        self.supported = supported
        self.method = method


class NotAcceptable(SalonError):
    """The Accept header names no representation the route offers."""

    kind = "not-acceptable"


class Conflict(SalonError):
    kind = "conflict"


class InvalidTransition(Conflict):
    kind = "invalid-transition"


class DuplicateEmail(Conflict):
    kind = "duplicate-email"


class RegistrationClosed(Conflict):
    kind = "registration-closed"


class WindowClosed(Conflict):
    """An action outside the period the event's key dates allow (catalogue not open, deadline passed)."""

    kind = "window-closed"


class DuplicateRequest(Conflict):
    """A live meeting request already joins the two companies."""

    kind = "duplicate-request"


class LimitReached(ValidationFailed):
    """A cap of the caller's participation type would be exceeded."""

    kind = "limit-reached"


class DependencyUnavailable(SalonError):
    """A downstream service failed or throttled (possibly after durable state was written); retry."""

    kind = "dependency-unavailable"


class UnregisteredItemType(RuntimeError):
    """A write of an item type (or attribute) the personal-data registry does not declare. A bug."""
