"""The registration area's login adapter (Cognito), built lazily like ``deps``; tests may override it.

Apart from ``deps`` so that only the code that opens or closes participant logins (validation and
deactivation, the review function) reaches Cognito, and only that function's role may call it.
"""

from __future__ import annotations

from salon.kernel.platform import AreaDeps, Platform
from salon.registration.adapters.identity import CognitoIdentity, Identity


def _build(shared: Platform) -> Identity:
    if not shared.settings.user_pool_id:
        raise RuntimeError("USER_POOL_ID is not set: this function's template entry must give it")
    return CognitoIdentity(shared.settings.user_pool_id)


_identity: AreaDeps[Identity] = AreaDeps(_build)
get = _identity.get
override = _identity.override
