"""Schedule function: reads a problem document from S3, runs the meeting scheduler, writes the
schedule document beside it and returns a summary. Invoked by the scheduling run (Step Functions),
never over HTTP; it alone carries the scheduler layer, so the solvers weigh on no other cold start.

Event: {"tenant_id": "...", "problem_key": "<tenant_id>/...", "result_key": "..." (optional),
"time_limit_s": 600, "seed": 0}; both keys must lie under the tenant's prefix.
A rejected event or problem raises ScheduleRejected, whose message is a problem+json document
naming every field at fault: retrying cannot help, so the run should catch it rather than retry."""

from __future__ import annotations

import json
import os
from functools import cache
from typing import Any

import boto3
from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError
from salon.kernel.errors import NotFound, SalonError, ValidationFailed
from salon.kernel.problems import from_exception
from salon.kernel.validation import field_errors
from salon_scheduler.document import read_problem, schedule_document
from salon_scheduler.engine import solve

logger = Logger()
tracer = Tracer()

SAFETY_S = 60.0  # left for reading, table assignment overruns, validation and writing the result
MAX_TIME_LIMIT_S = 840.0


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    schedule_bucket: str = Field(min_length=3)


class ScheduleRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    tenant_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    problem_key: str = Field(min_length=1, max_length=1024, pattern=r"\.json$")
    result_key: str | None = Field(default=None, min_length=1, max_length=1024, pattern=r"\.json$")
    time_limit_s: float = Field(default=600.0, ge=1.0, le=MAX_TIME_LIMIT_S)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)

    @model_validator(mode="after")
    def _keeps_the_problem(self) -> ScheduleRequest:
        if self.result_key == self.problem_key:
            raise PydanticCustomError("overwrite", "would overwrite the problem document")
        if not all(key.startswith(f"{self.tenant_id}/") for key in (self.problem_key, self.result)):
            raise PydanticCustomError("tenant", "the documents must be under the run's tenant prefix")
        return self

    @property
    def result(self) -> str:
        return self.result_key or self.problem_key.removesuffix(".json") + ".schedule.json"


class ScheduleRejected(Exception):
    """The event or the problem document is invalid: a client error, not worth a retry."""


@cache
def _settings() -> Settings:
    return Settings.model_validate({"schedule_bucket": os.environ.get("SCHEDULE_BUCKET", "")})


def _rejected(error: SalonError, context: LambdaContext) -> ScheduleRejected:
    """Refusals take the HTTP API's problem+json shape, from the one place that maps errors."""
    body = from_exception(error, instance="", request_id=context.aws_request_id).body
    return ScheduleRejected(body)


def _invalid(detail: str, error: ValidationError) -> ValidationFailed:
    return ValidationFailed(detail, errors=field_errors(error.errors()))


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler(capture_response=False)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        request = ScheduleRequest.model_validate(event)
    except ValidationError as exc:
        raise _rejected(_invalid("the event is invalid", exc), context) from None
    bucket = _settings().schedule_bucket
    s3 = boto3.client("s3")
    try:
        body = s3.get_object(Bucket=bucket, Key=request.problem_key)["Body"].read()
    except s3.exceptions.NoSuchKey:
        raise _rejected(NotFound("no problem document at problem_key"), context) from None
    try:
        instance = read_problem(json.loads(body))
    except json.JSONDecodeError:
        raise _rejected(ValidationFailed("the problem document is not JSON"), context) from None
    except ValidationError as exc:
        raise _rejected(_invalid("the problem document is invalid", exc), context) from None
    remaining_s = context.get_remaining_time_in_millis() / 1000.0
    time_limit = max(1.0, min(request.time_limit_s, remaining_s - SAFETY_S))
    logger.info("scheduling", extra={"meetings": len(instance.meetings), "time_limit_s": time_limit})
    schedule = solve(instance, time_limit, request.seed)
    document = schedule_document(instance, schedule)
    s3.put_object(
        Bucket=bucket,
        Key=request.result,
        Body=json.dumps(document).encode(),
        ContentType="application/json",
    )
    summary = {
        "result_key": request.result,
        "placed": len(schedule.placements),
        "requested": len(instance.meetings),
        "unscheduled": len(schedule.unscheduled),
        "violations": len(document["violations"]),
        "stages": {s["name"]: s["status"] for s in document["stages"]},
        "seconds": document["seconds"],
    }
    logger.info("scheduled", extra=summary)
    return summary
