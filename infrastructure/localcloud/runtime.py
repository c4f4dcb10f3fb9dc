"""The in-process Lambda runtime: moto's Lambda model runs the repo's real Python handlers.

Without Docker, moto cannot run Lambda code. Every moto path that runs a function - the Invoke API,
Step Functions Lambda tasks, SQS / DynamoDB-stream / Kinesis event source mappings, SNS and
EventBridge targets - ends in one method of moto's Lambda model:
``moto.awslambda.models.LambdaFunction._invoke_lambda(self, event) -> (payload, errored, logs)``.
`install()` replaces that method with `run_in_process`, which imports the handler module from the
repo and calls it. `tests/integration/localcloud/test_lambda_seam.py` pins this seam for moto 5.2.5.

Where the code is: functions and layers are "packaged" into moto S3 under the bucket
`ARTIFACT_BUCKET` with the repo-relative directory as the key (see `template.package`), so a
function's ``Code.S3Key`` (and each layer's ``Content.S3Key``) names its source directory.

Environment: ``os.environ`` is process-global and handlers run concurrently (gateway threads and
moto's request threads, nested: a handler's DynamoDB write can trigger a stream handler in another
thread). Serialising invocations would deadlock on such nesting, so the local cloud sets the union
of all functions' variables once (`LocalCloud` refuses conflicting values), and each function's own
values are applied only while its module is imported (module-level Powertools objects read their
service name then). Handler modules are loaded by file path under a module name unique to the
function (every function is an ``app.py``; and like separate Lambda sandboxes, two functions sharing
one code directory get separate module instances). The handler's directory is that name's package, so
the modules a handler imports lazily beside it (``salon.kernel.http.Router.lazy``) are per function
too, as top-level modules of ``/var/task`` are in Lambda.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import logging
import os
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from localcloud.template import ARTIFACT_BUCKET, REPO_ROOT

logger = logging.getLogger(__name__)

Handler = Callable[[Any, Any], Any]


@dataclass(frozen=True)
class FunctionCode:
    """Where a function's code lives in the repo and how to call it."""

    code_dir: Path
    handler: str
    layer_dirs: tuple[Path, ...] = ()

    @property
    def module_file(self) -> Path:
        module_path, _, _ = self.handler.rpartition(".")
        return self.code_dir.joinpath(*module_path.split(".")).with_suffix(".py")

    @property
    def function_attribute(self) -> str:
        return self.handler.rpartition(".")[2]


@dataclass
class LambdaContext:
    """The subset of the Lambda context object that handlers and Powertools read."""

    function_name: str
    function_version: str
    invoked_function_arn: str
    memory_limit_in_mb: int
    timeout_seconds: int
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = ""
    log_stream_name: str = ""
    _deadline: float = 0.0

    def __post_init__(self) -> None:
        self._deadline = time.monotonic() + self.timeout_seconds
        self.log_group_name = self.log_group_name or f"/aws/lambda/{self.function_name}"
        self.log_stream_name = self.log_stream_name or f"local/[{self.function_version}]{self.aws_request_id}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def repo_path(s3_key: str) -> Path:
    return REPO_ROOT / s3_key.strip("/")


class HandlerRegistry:
    """Loads handler modules once, by file path, and keeps them per function."""

    def __init__(self) -> None:
        self._handlers: dict[tuple[str, FunctionCode], Handler] = {}
        self._lock = threading.Lock()

    def handler_for(self, function_name: str, code: FunctionCode, environment: Mapping[str, str]) -> Handler:
        key = (function_name, code)
        with self._lock:
            if key not in self._handlers:
                self._handlers[key] = self._load(function_name, code, environment)
            return self._handlers[key]

    def clear(self) -> None:
        with self._lock:
            for function_name, code in self._handlers:
                package = _module_name(function_name, code.module_file).rpartition(".")[0]
                loaded = [name for name in sys.modules if name == package or name.startswith(f"{package}.")]
                for name in loaded:
                    sys.modules.pop(name)
            self._handlers.clear()

    @staticmethod
    def _load(function_name: str, code: FunctionCode, environment: Mapping[str, str]) -> Handler:
        handler = getattr(load_module(function_name, code, environment), code.function_attribute)
        if not callable(handler):
            raise TypeError(f"{code.handler} is not callable")
        return handler  # type: ignore[no-any-return]


def load_module(function_name: str, code: FunctionCode, environment: Mapping[str, str]) -> ModuleType:
    """Import a function's handler module by file path, under a module name unique to the function."""
    for layer_dir in code.layer_dirs:
        if str(layer_dir) not in sys.path:
            sys.path.insert(0, str(layer_dir))
    module_name = _module_name(function_name, code.module_file)
    _register_package(module_name.rpartition(".")[0], code.module_file.parent)
    spec = importlib.util.spec_from_file_location(module_name, code.module_file)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load handler module {code.module_file}")
    module: ModuleType = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    with _environment_overlay(environment):
        try:
            spec.loader.exec_module(module)
        except BaseException:
            sys.modules.pop(module_name, None)
            raise
    return module


def _register_package(name: str, directory: Path) -> None:
    """The handler directory as a package of its own, where the handler's sibling modules are found."""
    if name not in sys.modules:
        spec = importlib.machinery.ModuleSpec(name, None, is_package=True)
        spec.submodule_search_locations = [str(directory)]
        sys.modules[name] = importlib.util.module_from_spec(spec)


def _module_name(function_name: str, module_file: Path) -> str:
    try:
        relative = module_file.relative_to(REPO_ROOT).with_suffix("")
    except ValueError:
        relative = module_file.with_suffix("")
    dotted = ".".join(_identifier(part) for part in relative.parts if part != "/")
    return f"_localcloud_lambda.{_identifier(function_name)}.{dotted}"


def _identifier(text: str) -> str:
    return "".join(character if character.isalnum() else "_" for character in text)


@contextmanager
def _environment_overlay(environment: Mapping[str, str]) -> Iterator[None]:
    previous = {name: os.environ.get(name) for name in environment}
    os.environ.update(environment)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


REGISTRY = HandlerRegistry()


def function_code(function: Any) -> FunctionCode:
    """The repo code of a moto `LambdaFunction`, found through its (local) S3 artifact keys."""
    from moto.awslambda.utils import get_backend

    code = function.code
    if code.get("S3Bucket") != ARTIFACT_BUCKET:
        raise LookupError(
            f"function {function.function_name} was not packaged by the local cloud "
            f"(Code.S3Bucket must be {ARTIFACT_BUCKET})"
        )
    backend = get_backend(function.account_id, function.region)
    layer_dirs: list[Path] = []
    for layer in function.layers:
        version = backend.layers_versions_by_arn(layer["Arn"])
        if version is not None and version.content.get("S3Bucket") == ARTIFACT_BUCKET:
            layer_dirs.append(repo_path(version.content["S3Key"]))
    return FunctionCode(repo_path(code["S3Key"]), function.handler, tuple(layer_dirs))


def _decode_event(event: Any) -> Any:
    # moto hands over the JSON-decoded request body, except an empty body arrives as the text "{}".
    if isinstance(event, str | bytes):
        try:
            return json.loads(event)
        except ValueError:
            return event
    return event


def _error_payload(error: BaseException) -> str:
    return json.dumps(
        {
            "errorMessage": str(error),
            "errorType": type(error).__name__,
            "stackTrace": traceback.format_tb(error.__traceback__),
        }
    )


def run_in_process(function: Any, event: Any = None) -> tuple[str, bool, str]:
    """Replacement for `LambdaFunction._invoke_lambda`: same signature, same result shape."""
    context = LambdaContext(
        function_name=function.function_name,
        function_version=str(function.version),
        invoked_function_arn=function.function_arn,
        memory_limit_in_mb=int(function.memory_size),
        timeout_seconds=int(function.timeout),
    )
    started = time.perf_counter()
    try:
        code = function_code(function)
        handler = REGISTRY.handler_for(function.function_name, code, dict(function.environment_vars))
        result = handler(_decode_event(event), context)
        payload = json.dumps(result)
    except Exception as error:
        logger.warning(
            "lambda invocation failed function=%s request_id=%s error=%s",
            function.function_name,
            context.aws_request_id,
            type(error).__name__,
        )
        return _error_payload(error), True, ""
    logger.debug(
        "lambda invoked function=%s request_id=%s ms=%.1f",
        function.function_name,
        context.aws_request_id,
        (time.perf_counter() - started) * 1000,
    )
    return payload, False, ""


_ORIGINAL_INVOKE: list[Callable[..., tuple[str, bool, str]]] = []


def install() -> None:
    """Route moto's Lambda execution to the in-process runtime (idempotent)."""
    from moto.awslambda.models import LambdaFunction

    if not _ORIGINAL_INVOKE:
        _ORIGINAL_INVOKE.append(LambdaFunction._invoke_lambda)
        setattr(LambdaFunction, "_invoke_lambda", run_in_process)  # noqa: B010 (typed method patch)


def uninstall() -> None:
    from moto.awslambda.models import LambdaFunction

    if _ORIGINAL_INVOKE:
        setattr(LambdaFunction, "_invoke_lambda", _ORIGINAL_INVOKE.pop())  # noqa: B010
    REGISTRY.clear()
