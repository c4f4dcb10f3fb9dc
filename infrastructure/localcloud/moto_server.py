"""moto's threaded server on 127.0.0.1 (ephemeral port), configured for Salon."""

from __future__ import annotations

import json
import logging
import urllib.request
from typing import Any

# Step Functions must execute the real ASL (Lambda tasks end in the in-process runtime).
MOTO_CONFIG: dict[str, Any] = {"stepfunctions": {"execute_state_machine": True}}


class MotoServer:
    def __init__(self) -> None:
        from moto.server import ThreadedMotoServer

        # Werkzeug logs every request line at INFO; the local cloud logs its own ids instead.
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self._started = False

    def start(self) -> None:
        self._server.start()
        self._started = True
        # moto keeps its backends per process: a fresh server must not see a previous one's state.
        self._post("/moto-api/reset", None)
        self._post("/moto-api/config", MOTO_CONFIG)

    @property
    def port(self) -> int:
        return self._server.get_host_and_port()[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get_json(self, path: str) -> Any:
        with urllib.request.urlopen(self.url + path, timeout=10) as response:
            return json.loads(response.read())

    def _post(self, path: str, body: Any) -> None:
        data = json.dumps(body).encode() if body is not None else b""
        request = urllib.request.Request(self.url + path, data=data, method="POST")
        request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()

    def stop(self) -> None:
        if self._started:
            self._post("/moto-api/reset", None)
            self._server.stop()
            self._started = False
