"""Idempotent execution of logic functions keyed on (operation, tenant, actor, Idempotency-Key)."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)

from salon.adapters import aws
from salon.settings import get_settings

Result = dict[str, Any]
Logic = Callable[[dict[str, Any]], Result]

_config: IdempotencyConfig | None = None
_registry: dict[str, Logic] = {}


def config() -> IdempotencyConfig:
    global _config
    if _config is None:
        _config = IdempotencyConfig(
            event_key_jmespath="[operation, scope, key]",
            payload_validation_jmespath="payload.[params, body]",
            raise_on_no_idempotency_key=True,
            expires_after_seconds=get_settings().idempotency_ttl_seconds,
        )
    return _config


def register_context(context: Any) -> None:
    """Let Powertools know the remaining time of the invocation (in-progress expiry)."""
    config().register_lambda_context(context)


def _store() -> DynamoDBPersistenceLayer:
    return _store_for(get_settings().idempotency_table_name, *aws.where())


@lru_cache(maxsize=4)
def _store_for(table_name: str, endpoint: str, region: str) -> DynamoDBPersistenceLayer:
    return DynamoDBPersistenceLayer(table_name=table_name)


def _dispatch(command: dict[str, Any]) -> Result:
    return _registry[command["operation"]](command["payload"])


def _idempotent_dispatch() -> Callable[..., Result]:
    return _dispatch_with(_store())


@lru_cache(maxsize=4)
def _dispatch_with(store: DynamoDBPersistenceLayer) -> Callable[..., Result]:
    wrapped: Callable[..., Result] = idempotent_function(
        data_keyword_argument="command", persistence_store=store, config=config()
    )(_dispatch)
    return wrapped


def run(operation: str, logic: Logic, payload: dict[str, Any], *, scope: str, key: str | None) -> Result:
    """Run ``logic(payload)``; with a key, a retry returns the first result and does nothing new."""
    if key is None:
        return logic(payload)
    _registry[operation] = logic
    return _idempotent_dispatch()(
        command={"operation": operation, "scope": scope, "key": key, "payload": payload}
    )


def reset() -> None:
    global _config
    _config = None
    _store_for.cache_clear()
    _dispatch_with.cache_clear()
