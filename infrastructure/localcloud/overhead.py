"""Measure the local cloud: cold start, and what the gateway adds to a request.

    python -m localcloud.overhead [--requests 200]

Per request, on ``GET /health`` (public, the real RegisterFunction): the handler called in-process
with no HTTP at all, then the gateway with each invoker (moto's Invoke API, direct), and the
gateway's own 404 (routing only). The difference is the gateway's overhead.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import requests

from localcloud.cloud import LocalCloud
from localcloud.gateway import DirectInvoker
from localcloud.provision import MOTO_ACCOUNT_ID


def _per_call_ms(call: Callable[[], object], count: int) -> float:
    call()
    started = time.perf_counter()
    for _ in range(count):
        call()
    return (time.perf_counter() - started) / count * 1000


def measure_once(via_invoke_api: bool, count: int) -> str:
    started = time.perf_counter()
    with LocalCloud.start(via_invoke_api=via_invoke_api) as cloud:
        startup = time.perf_counter() - started
        session = requests.Session()
        event = cloud.http_event("GET", "/health")
        direct = DirectInvoker(MOTO_ACCOUNT_ID, cloud.resources.region)
        function_name = cloud.resources.function_name("RegisterFunction")
        handler_ms = _per_call_ms(lambda: direct(function_name, event), count)
        gateway_ms = _per_call_ms(lambda: session.get(f"{cloud.gateway_url}/health", timeout=30), count)
        not_found_ms = _per_call_ms(lambda: session.get(f"{cloud.gateway_url}/nowhere", timeout=30), count)
    invoker = "lambda-invoke-api" if via_invoke_api else "direct"
    return (
        f"invoker={invoker} startup={startup:.2f}s handler_in_process={handler_ms:.2f}ms "
        f"gateway_GET_/health={gateway_ms:.2f}ms overhead={gateway_ms - handler_ms:.2f}ms "
        f"gateway_404={not_found_ms:.2f}ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=200)
    count = parser.parse_args().requests
    for via_invoke_api in (True, False):
        print(measure_once(via_invoke_api, count))


if __name__ == "__main__":
    main()
