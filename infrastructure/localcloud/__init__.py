"""Salon's local cloud: the production template run on moto, in-process, with an HTTP gateway.

Entry point: `LocalCloud.start()`; see `localcloud.cloud` and docs in each module.
"""

from localcloud.cloud import LocalCloud, LocalCloudError
from localcloud.provision import Resources

__all__ = ["LocalCloud", "LocalCloudError", "Resources"]
