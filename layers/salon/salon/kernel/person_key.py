"""``person_key(tenant_id, email)``: the keyed hash that finds a person by e-mail.

E-mail claims are keyed by it, and a subject-access or erasure request finds the person's claims with
it. The master key is the template's ``PersonKeySecret``; it is read with GetSecretValue on first use,
then kept for the life of the execution environment.
"""

from __future__ import annotations

from functools import lru_cache

from botocore.exceptions import BotoCoreError, ClientError

from salon.kernel import aws
from salon.kernel.errors import DependencyUnavailable
from salon.kernel.keyed_hash import email_digest, tenant_key
from salon.kernel.settings import get_settings


@lru_cache(maxsize=4)
def _master_key(secret_id: str, endpoint: str, region: str) -> bytes:
    try:
        value = aws.secretsmanager().get_secret_value(SecretId=secret_id)["SecretString"]
    except (BotoCoreError, ClientError) as exc:
        raise DependencyUnavailable("the person key could not be read; retry") from exc
    return str(value).encode()


def person_key(tenant_id: str, email: str) -> str:
    secret_id = get_settings().person_key_secret_arn
    if not secret_id:
        raise RuntimeError("PERSON_KEY_SECRET_ARN is not set: the function has no access to the person key")
    return email_digest(tenant_key(_master_key(secret_id, *aws.where()), tenant_id), email)


def forget_master_key() -> None:
    """Drop the cached master key (tests rotate it)."""
    _master_key.cache_clear()


def signing_key(purpose: str, tenant_id: str) -> bytes:
    """A per-tenant key for ``purpose`` (e.g. signed unsubscribe links), derived from the same master key."""
    secret_id = get_settings().person_key_secret_arn
    if not secret_id:
        raise RuntimeError("PERSON_KEY_SECRET_ARN is not set: the function has no access to the person key")
    return tenant_key(_master_key(secret_id, *aws.where()), f"{purpose}:{tenant_id}")
