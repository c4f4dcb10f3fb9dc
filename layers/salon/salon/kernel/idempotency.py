"""Idempotent use cases: retried with the same Idempotency-Key, a use case returns its first result and
does nothing new.

A use case is ``function(caller, command) -> result`` with pydantic models for the command and the
result. ``@idempotent`` wraps it with Powertools' ``idempotent_function``: the record is keyed on the
function, the caller's scope (tenant and actor) and the key, the command's hash is checked on replay
(the same key with another command is refused), and a replay returns the stored result as the same
pydantic model. Without a key the function simply runs. Powertools' idempotency machinery is imported on
the first keyed call, not at cold start.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from salon.kernel import aws, invocation
from salon.kernel.caller import Caller
from salon.kernel.settings import get_settings

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig

C = TypeVar("C", bound=BaseModel)
R = TypeVar("R", bound=BaseModel)

_config: IdempotencyConfig | None = None


class Keyed(BaseModel, Generic[C]):
    """What Powertools hashes: the caller's scope and key (the record's key) and the command (checked)."""

    model_config = ConfigDict(defer_build=True)

    scope: str
    key: str
    command: C


def scope_of(caller: Caller) -> str:
    """Keys are unique per tenant and actor; anonymous callers share one scope (their keys are UUIDs)."""
    principal = caller.principal
    return f"{principal.tenant_id}:{principal.sub}" if principal else "anonymous"


def config() -> IdempotencyConfig:
    global _config
    if _config is None:
        from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig

        _config = IdempotencyConfig(
            event_key_jmespath="[scope, key]",
            payload_validation_jmespath="command",
            raise_on_no_idempotency_key=True,
            expires_after_seconds=get_settings().idempotency_ttl_seconds,
        )
    return _config


@functools.cache
def _wrapped(function: Callable[[Caller, Any], Any], table: str, endpoint: str, region: str) -> Any:
    """``function`` wrapped by Powertools against one idempotency table (one per environment)."""
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer, idempotent_function
    from aws_lambda_powertools.utilities.idempotency.serialization.pydantic import PydanticSerializer

    result_type = typing.get_type_hints(function)["return"]

    def keyed_call(caller: Caller, keyed: Keyed[Any]) -> Any:
        return function(caller, keyed.command)

    keyed_call.__qualname__ = function.__qualname__
    keyed_call.__module__ = function.__module__
    return idempotent_function(
        keyed_call,
        data_keyword_argument="keyed",
        persistence_store=DynamoDBPersistenceLayer(table_name=table),
        config=config(),
        output_serializer=PydanticSerializer(model=result_type),
    )


def idempotent(function: Callable[[Caller, C], R]) -> Callable[[Caller, C], R]:
    """Make ``function(caller, command)`` idempotent on the caller's Idempotency-Key, if any."""

    @functools.wraps(function)
    def run(caller: Caller, command: C) -> R:
        if caller.idempotency_key is None:
            return function(caller, command)
        wrapped = _wrapped(function, get_settings().idempotency_table_name, *aws.where())
        keyed = Keyed[Any](scope=scope_of(caller), key=caller.idempotency_key, command=command)
        context = invocation.context()
        if context is not None:  # Powertools expires an in-progress record with the invocation
            config().register_lambda_context(context)
        result: R = wrapped(caller, keyed=keyed)
        return result

    return run


def reset() -> None:
    global _config
    _config = None
    _wrapped.cache_clear()
