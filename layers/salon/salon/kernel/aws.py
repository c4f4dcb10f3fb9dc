"""Lazily created boto3 clients (never at import: cold starts and tests).

Clients are cached per (service, endpoint, region): in Lambda that is one client per execution
environment; locally a restarted moto server (new ``AWS_ENDPOINT_URL``) gets fresh clients.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

import boto3
from botocore.config import Config

_CONFIG = Config(retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=3, read_timeout=10)


def _where() -> tuple[str, str]:
    return os.environ.get("AWS_ENDPOINT_URL", ""), os.environ.get(
        "AWS_REGION", os.environ.get("AWS_DEFAULT_REGION", "")
    )


@lru_cache(maxsize=8)
def _resource(service: str, endpoint: str, region: str) -> Any:
    return boto3.resource(service, config=_CONFIG)


@lru_cache(maxsize=8)
def _client(service: str, endpoint: str, region: str) -> Any:
    return boto3.client(service, config=_CONFIG)


def dynamodb() -> Any:
    return _resource("dynamodb", *_where())


def events() -> Any:
    return _client("events", *_where())


def cognito() -> Any:
    return _client("cognito-idp", *_where())


def secretsmanager() -> Any:
    return _client("secretsmanager", *_where())


def where() -> tuple[str, str]:
    """The current endpoint and region (cache key for other lazily built AWS objects)."""
    return _where()


def reset() -> None:
    _resource.cache_clear()
    _client.cache_clear()


def lambda_() -> Any:
    return _client("lambda", *_where())


def s3() -> Any:
    return _client("s3", *_where())


def stepfunctions() -> Any:
    return _client("stepfunctions", *_where())


def scheduler() -> Any:
    return _client("scheduler", *_where())
