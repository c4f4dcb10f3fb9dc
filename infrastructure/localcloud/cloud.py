"""`LocalCloud`: moto server + stack from template.yaml + in-process Lambda runtime + HTTP gateway.

    with LocalCloud.start(gateway_port=0) as cloud:
        sub = cloud.create_user("ada@example.org", "Passw0rd-Passw0rd", "organizer", "tenant-1")
        token = cloud.login("s:tenant-1:ada@example.org", "Passw0rd-Passw0rd")
        requests.get(f"{cloud.gateway_url}/me", headers={"Authorization": f"Bearer {token}"})

moto keeps its state per process, and `os.environ` is process-wide: one LocalCloud may run per
process at a time (pytest-xdist workers are processes, so each gets its own cloud and ports).
Handler modules are dropped when a cloud stops, but layer packages (`salon`...) stay imported: code
that caches boto3 clients at import time keeps the first cloud's endpoint, so prefer one cloud per
process (the `cloud` fixture is session-scoped).
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

import boto3
from salon.kernel.usernames import username_for
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from localcloud import cognito_mail, event_sources, outbox, runtime
from localcloud.auth import JwtVerifier
from localcloud.cognito_mail import SentEmail
from localcloud.cors import CorsConfiguration
from localcloud.gateway import DirectInvoker, GatewayApp, GatewayServer, Invoker, LambdaApiInvoker
from localcloud.http_event import ApiContext
from localcloud.moto_dynamodb import (
    cheap_moto_transaction_snapshots,
    idempotent_transaction_tokens,
    transactional_stream_records,
)
from localcloud.moto_partitions import partition_queries
from localcloud.moto_server import MotoServer
from localcloud.provision import (
    LOCAL_API_ID,
    MOTO_ACCOUNT_ID,
    Resources,
    placeholder_zip,
    provision,
    pseudo_parameters,
)
from localcloud.routes import RouteTable, routes_from_template
from localcloud.scheduler_clock import missing_groups_not_found
from localcloud.stripe_server import LocalStripe
from localcloud.template import ARTIFACT_BUCKET, DEFAULT_REGION, load_template, translate

BASE_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
    # No X-Ray daemon locally.
    "POWERTOOLS_TRACE_DISABLED": "true",
}
_REMOVED_ENVIRONMENT = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE")


class LocalCloudError(RuntimeError):
    pass


class LocalCloud:
    _active_lock = threading.Lock()
    _active: LocalCloud | None = None

    def __init__(
        self,
        moto: MotoServer,
        resources: Resources,
        gateway: GatewayServer,
        stripe: LocalStripe,
        saved_env: dict[str, str | None],
    ) -> None:
        self._moto = moto
        self.resources = resources
        self._gateway = gateway
        self.stripe = stripe
        self._saved_env = saved_env
        self._listeners: list[GatewayServer] = []
        self.startup_seconds = 0.0

    # ------------------------------------------------------------------ lifecycle
    @classmethod
    def start(
        cls,
        gateway_port: int = 0,
        *,
        via_invoke_api: bool = True,
        stack_name: str = "salon",
        region: str = DEFAULT_REGION,
        outbox_dir: Path = outbox.DEFAULT_DIRECTORY,
    ) -> LocalCloud:
        """Boot everything; use as a context manager (or call `stop()`). What the cloud sends
        (e-mails, SMS) is captured under ``outbox_dir``."""
        with cls._active_lock:
            if cls._active is not None:
                raise LocalCloudError("a LocalCloud is already running in this process")
            started = time.perf_counter()
            saved_env = _set_environment(
                {**BASE_ENVIRONMENT, "AWS_DEFAULT_REGION": region, "AWS_REGION": region}
            )
            moto = MotoServer()
            stripe: LocalStripe | None = None
            try:
                moto.start()
                _set_environment({"AWS_ENDPOINT_URL": moto.url, "MOTO_PORT": str(moto.port)}, saved_env)
                runtime.install()
                event_sources.install()
                cognito_mail.install()
                outbox.install(outbox_dir)
                cheap_moto_transaction_snapshots()
                transactional_stream_records()
                idempotent_transaction_tokens()
                partition_queries()
                missing_groups_not_found()
                sam_template = load_template()
                translated = translate(sam_template, region)
                resources = provision(sam_template, translated, stack_name, region)
                _set_environment(_shared_function_environment(resources), saved_env)
                gateway = _build_gateway(
                    sam_template, translated, resources, moto, gateway_port, via_invoke_api
                )
                gateway.start()
                stripe = _start_stripe(resources, gateway.url, saved_env)
            except BaseException:
                if stripe is not None:
                    stripe.stop()
                event_sources.uninstall()
                cognito_mail.uninstall()
                outbox.uninstall()
                runtime.uninstall()
                moto.stop()
                _restore_environment(saved_env)
                raise
            cloud = cls(moto, resources, gateway, stripe, saved_env)
            cloud.startup_seconds = time.perf_counter() - started
            cls._active = cloud
            return cloud

    def stop(self) -> None:
        with self._active_lock:
            if LocalCloud._active is not self:
                return
            for listener in self._listeners:
                listener.stop()
            self._gateway.stop()
            self.stripe.stop()
            event_sources.uninstall()
            cognito_mail.uninstall()
            outbox.uninstall()
            runtime.uninstall()
            self._moto.stop()
            _restore_environment(self._saved_env)
            LocalCloud._active = None

    def __enter__(self) -> LocalCloud:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    # ------------------------------------------------------------------ endpoints
    @property
    def gateway_url(self) -> str:
        return self._gateway.url

    @property
    def endpoint_url(self) -> str:
        return self._moto.url

    def listen(self, port: int, mount: Callable[[Any], Any] | None = None) -> GatewayServer:
        """Another port for the same gateway: bound now, serving once `start()`ed, stopped with the cloud.
        ``mount`` wraps the gateway's WSGI app (local pages in front of the API, e.g. the dev outbox)."""
        served = mount(self._gateway.app) if mount is not None else None
        listener = GatewayServer(self._gateway.app, port, served=served)
        self._listeners.append(listener)
        return listener

    def http_event(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        json_body: Any = None,
        query: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """The payload-2.0 event the gateway would send for this request (authorizer applied)."""
        request_headers = {"User-Agent": "localcloud", **(headers or {})}
        if token is not None:
            request_headers["Authorization"] = f"Bearer {token}"
        builder = EnvironBuilder(
            method=method,
            path=path,
            base_url=self.gateway_url,
            query_string=query,
            headers=list(request_headers.items()),
            json=json_body,
        )
        event = self._gateway.app.event_for(Request(builder.get_environ()))
        if not isinstance(event, dict):
            raise LocalCloudError(f"the gateway answers {event.status} to {method} {path}")
        return event

    def client(self, service: str) -> Any:
        return boto3.client(service, region_name=self.resources.region, endpoint_url=self.endpoint_url)

    def deploy_code(self, function_name: str, code_dir: str) -> None:
        """Point an existing function at another repo directory (e.g. a test double's code).

        `code_dir` is repo-relative; the handler name (e.g. ``app.handler``) is kept.
        """
        key = code_dir.strip("/") + "/"
        self.client("s3").put_object(Bucket=ARTIFACT_BUCKET, Key=key, Body=placeholder_zip())
        self.client("lambda").update_function_code(
            FunctionName=function_name, S3Bucket=ARTIFACT_BUCKET, S3Key=key
        )

    def create_function(
        self,
        function_name: str,
        code_dir: str,
        handler: str = "app.handler",
        environment: dict[str, str] | None = None,
    ) -> str:
        """Create a function outside the stack, its code in the repo directory `code_dir`; return its ARN."""
        key = code_dir.strip("/") + "/"
        self.client("s3").put_object(Bucket=ARTIFACT_BUCKET, Key=key, Body=placeholder_zip())
        created = self.client("lambda").create_function(
            FunctionName=function_name,
            Runtime="python3.11",
            Role=self._extra_function_role(),
            Handler=handler,
            Code={"S3Bucket": ARTIFACT_BUCKET, "S3Key": key},
            Environment={"Variables": environment or {}},
            Timeout=30,
        )
        return str(created["FunctionArn"])

    def _extra_function_role(self) -> str:
        iam = self.client("iam")
        name = "localcloud-extra-function"
        try:
            return str(iam.get_role(RoleName=name)["Role"]["Arn"])
        except iam.exceptions.NoSuchEntityException:
            trust = {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "lambda.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
            return str(
                iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
            )

    # ------------------------------------------------------------------ users
    def create_user(self, email: str, password: str, group: str, tenant_id: str) -> str:
        """Open a confirmed login of `tenant_id` with a permanent password in `group`; return its `sub`.

        Its username is `username_for(group, tenant_id, email)` (``p:`` or ``s:<tenant>:<email>``).
        """
        username = username_for(group, tenant_id, email)
        attributes = [
            {"Name": "email", "Value": email},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "custom:tenant_id", "Value": tenant_id},
        ]
        idp = self.client("cognito-idp")
        pool_id = self.resources.user_pool_id
        user = idp.admin_create_user(
            UserPoolId=pool_id, Username=username, UserAttributes=attributes, MessageAction="SUPPRESS"
        )["User"]
        idp.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=password, Permanent=True)
        idp.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName=group)
        return next(str(attr["Value"]) for attr in user["Attributes"] if attr["Name"] == "sub")

    def set_password(self, username: str, password: str) -> None:
        self.client("cognito-idp").admin_set_user_password(
            UserPoolId=self.resources.user_pool_id, Username=username, Password=password, Permanent=True
        )

    def login(self, username: str, password: str) -> str:
        """The Cognito ID token (what the HTTP API's JWT authorizer expects as bearer token).

        USER_PASSWORD_AUTH, as a front end signs in: no AWS credentials, the tenant-scoped username.
        """
        result = self.client("cognito-idp").initiate_auth(
            ClientId=self.resources.user_pool_client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": password},
        )
        return str(result["AuthenticationResult"]["IdToken"])

    def captured(self, since: float = 0.0) -> list[outbox.Captured]:
        """What the cloud sent (e-mails and SMS, captured under the outbox directory), oldest first."""
        return outbox.captured(since)

    def sent_emails(self) -> list[SentEmail]:
        """What Cognito sent through SES (invitations), oldest first."""
        return cognito_mail.sent_emails(MOTO_ACCOUNT_ID, self.resources.region)


def _build_gateway(
    sam_template: dict[str, Any],
    translated: dict[str, Any],
    resources: Resources,
    moto: MotoServer,
    port: int,
    via_invoke_api: bool,
) -> GatewayServer:
    values = {**pseudo_parameters(resources.stack_name, resources.region), **resources.physical_ids}
    routes = RouteTable(routes_from_template(sam_template, values))
    verifier = JwtVerifier(moto.get_json(f"/{resources.user_pool_id}/.well-known/jwks.json"))
    invoker: Invoker = (
        LambdaApiInvoker(resources.region)
        if via_invoke_api
        else DirectInvoker(MOTO_ACCOUNT_ID, resources.region)
    )
    api = ApiContext(
        LOCAL_API_ID, MOTO_ACCOUNT_ID, f"{LOCAL_API_ID}.execute-api.{resources.region}.amazonaws.com"
    )
    cors = CorsConfiguration.of_api(translated)
    app = GatewayApp(routes, resources.functions, verifier, invoker, api, cors)
    return GatewayServer(app, port)


def _start_stripe(resources: Resources, gateway_url: str, saved_env: dict[str, str | None]) -> LocalStripe:
    """localstripe, its keys in the stack's StripeSecret (as an operator puts Stripe's), its webhooks
    posted to the gateway, and the functions' Stripe client pointed at it."""
    stripe = LocalStripe.start()
    try:
        stripe.send_webhooks_to(gateway_url)
        boto3.client("secretsmanager", region_name=resources.region).put_secret_value(
            SecretId=resources.physical_ids["StripeSecret"], SecretString=json.dumps(stripe.secret_value())
        )
        _set_environment({"STRIPE_API_BASE": stripe.url}, saved_env)
    except BaseException:
        stripe.stop()
        raise
    return stripe


def _shared_function_environment(resources: Resources) -> dict[str, str]:
    """The union of the functions' variables, minus those whose values differ between functions.

    Differing ones (e.g. POWERTOOLS_SERVICE_NAME) apply only while each handler module is imported.
    """
    lambda_client = boto3.client("lambda", region_name=resources.region)
    merged: dict[str, str] = {}
    conflicting: set[str] = set()
    for function_name in resources.functions.values():
        configuration = lambda_client.get_function_configuration(FunctionName=function_name)
        for name, value in configuration.get("Environment", {}).get("Variables", {}).items():
            if name in merged and merged[name] != value:
                conflicting.add(name)
            merged.setdefault(name, value)
    return {name: value for name, value in merged.items() if name not in conflicting}


def _set_environment(
    values: dict[str, str], saved: dict[str, str | None] | None = None
) -> dict[str, str | None]:
    saved = {} if saved is None else saved
    for name in _REMOVED_ENVIRONMENT:
        saved.setdefault(name, os.environ.get(name))
        os.environ.pop(name, None)
    for name, value in values.items():
        saved.setdefault(name, os.environ.get(name))
        os.environ[name] = value
    return saved


def _restore_environment(saved: dict[str, str | None]) -> None:
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
