"""The HTTP API JWT authorizer, as API Gateway applies it.

API Gateway checks, for a route with a JWT authorizer: a token in the identity source
(``Authorization``, with or without ``Bearer``), an RS256 signature by a key of the issuer's JWKS
(here moto Cognito's ``/<pool id>/.well-known/jwks.json``), ``iss``, ``exp``/``nbf``/``iat``, and an
``aud`` (ID tokens) or ``client_id`` (access tokens) among the configured audiences. Claims reach
the Lambda event as strings, lists rendered like ``[a b]``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import jwt

from localcloud.routes import JwtAuthorizer


class Unauthorized(Exception):
    """The request carries no valid token for the route's authorizer (API Gateway answers 401)."""


class JwtVerifier:
    def __init__(self, jwks: Mapping[str, Any]) -> None:
        self._keys = {key.key_id: key for key in jwt.PyJWKSet.from_dict(dict(jwks)).keys}

    def verify(self, authorization: str | None, authorizer: JwtAuthorizer) -> dict[str, Any]:
        token = _token_from_header(authorization)
        try:
            header = jwt.get_unverified_header(token)
            key = self._keys.get(str(header.get("kid")))
            if key is None or header.get("alg") != "RS256":
                raise Unauthorized("unknown signing key")
            claims: dict[str, Any] = jwt.decode(
                token,
                key=key,
                algorithms=["RS256"],
                issuer=authorizer.issuer,
                options={"require": ["exp", "iss"], "verify_aud": False},
                leeway=0,
            )
        except jwt.PyJWTError as error:
            raise Unauthorized(type(error).__name__) from error
        audience = claims.get("aud", claims.get("client_id"))
        audiences = audience if isinstance(audience, list) else [audience]
        if not any(value in authorizer.audiences for value in audiences):
            raise Unauthorized("audience")
        return claims


def _token_from_header(authorization: str | None) -> str:
    if not authorization:
        raise Unauthorized("missing token")
    scheme, _, rest = authorization.strip().partition(" ")
    token = rest.strip() if scheme.lower() == "bearer" else authorization.strip()
    if not token:
        raise Unauthorized("missing token")
    return token


def claim_as_string(value: Any) -> str:
    """How HTTP APIs render a claim in ``requestContext.authorizer.jwt.claims``."""
    if isinstance(value, list):
        return "[" + " ".join(claim_as_string(item) for item in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def scopes_of(claims: Mapping[str, Any]) -> list[str] | None:
    scope = claims.get("scope")
    return scope.split() if isinstance(scope, str) and scope else None
