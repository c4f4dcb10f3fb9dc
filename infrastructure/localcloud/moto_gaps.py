"""Gaps of moto 5.2.5's CloudFormation and how they are bridged (each checked by the integration tests).


- ``AWS::Cognito::UserPool`` / ``UserPoolClient`` / ``UserPoolGroup`` are not supported (moto fails
  the stack on ``GetAtt UserPool.Arn``). They are created first through the cognito-idp API from the
  translated resource properties, then every Ref/GetAtt/Sub to them is replaced by the real value and
  the resources are removed from the template given to moto. A pool's ``LambdaConfig`` names
  functions of the stack: it is applied with UpdateUserPool once the stack exists.
- Cognito itself: moto neither calls a pool's triggers nor sends mail. `localcloud.cognito_mail`
  makes AdminCreateUser invite as Cognito does (CustomMessage trigger, then SES); the SES identity of
  the pool's ``EmailConfiguration`` (verified outside the stack in production) is created here.
- ``AWS::ApiGatewayV2::*`` (the translated ``HttpApi``) is not supported. The local HTTP gateway
  (`localcloud.gateway`) plays that part, built from the template's HttpApi events; references to
  the API resolve to the literal id `LOCAL_API_ID`.
- ``AWS::DynamoDB::Table``: moto ignores ``TimeToLiveSpecification`` and
  ``PointInTimeRecoverySpecification``; both are applied afterwards with UpdateTimeToLive and
  UpdateContinuousBackups. Its ``SSESpecification`` is passed through in CloudFormation's shape
  (``SSEEnabled``) but read in the API's shape (``Enabled``), so SSE silently stays off: the template
  given to moto carries both keys. (GSIs, streams and billing mode are honoured.)
- ``AWS::Lambda::LayerVersion`` has no physical id in moto (a Ref yields moto's model object, the
  stack lists an empty id) and its ``LayerName`` is ignored: layer ARNs are found with ListLayers by
  moto's generated name ``<stack>-<logical id>-<suffix>`` and reported in `Resources.physical_ids`.
- ``AWS::Lambda::Function``: moto ignores ``Layers`` (applied with UpdateFunctionConfiguration),
  ``TracingConfig``, ``Architectures`` and ``LoggingConfig`` (left as moto's defaults: there is no
  X-Ray locally and handlers log to the process's stderr). Code is uploaded to moto S3 as a tiny
  placeholder zip whose key is the repo-relative code directory (see `template.package` and
  `localcloud.runtime`).
- ``AWS::Events::EventBus`` has no physical id in moto either (a Ref would put moto's model object in,
  e.g., an environment variable): Ref/Arn of each bus are resolved from its ``Name`` beforehand.
- ``AWS::StepFunctions::StateMachine`` is created by moto's CloudFormation in the Step Functions
  backend that does *not* execute ASL (the executing one, enabled by the moto config, is a separate
  backend). State machines are therefore created through the Step Functions API after the stack,
  with their definition resolved against the stack's physical ids; references to them resolve to
  their (predictable) ARN beforehand.
- ``AWS::SecretsManager::Secret`` is not supported (no CloudFormation model: a Ref to it would stay
  unresolved). Secrets are created first through the Secrets Manager API, their value generated from
  ``GenerateSecretString`` with GetRandomPassword; every Ref to them is replaced by the ARN and they
  are removed from the template given to moto. Their ``KmsKeyId`` names a key the stack creates, so
  it is applied with UpdateSecret once the stack exists.
- ``AWS::SQS::QueuePolicy`` is not supported (moto warns and skips it); moto's EventBridge delivers to a
  queue target without checking a policy, so consumers work; the policy is checked on the template by
  ``tests/unit/test_template_consumers.py``.
- ``AWS::CloudWatch::Alarm`` is not supported (moto warns and skips it): there are no metrics locally;
  the alarm is checked on the template by ``tests/unit/dsar/test_template_dsar.py``.
- ``AWS::OpenSearchService::Domain`` is not supported: the local cloud sets ``SearchEngine=tantivy``
  (`localcloud.provision.LOCAL_PARAMETERS`), whose condition leaves the domain out.
- ``AWS::SNS::Subscription`` is not supported (moto warns and skips it): the subscriptions (the
  notify feedback function's topics) are made with Subscribe once the stack exists; moto's SNS then
  invokes a subscribed function on each publish (through the in-process runtime).
- ``AWS::SES::ConfigurationSet`` and its event destination are not supported: moto's SES v2 ignores
  ``ConfigurationSetName`` and sends no events back; the feedback function is tested with the
  messages SES would publish.
- ``Rules`` are not evaluated by moto: the EU-only rule is checked here, before anything is created.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, cast

import boto3

from localcloud.intrinsics import resolved, substitute

LOCAL_API_ID = "localapi"
MOTO_ACCOUNT_ID = "123456789012"
EU_REGIONS = ("eu-west-1", "eu-west-3", "eu-central-1", "eu-north-1", "eu-south-1", "eu-south-2")

_COGNITO_TYPES = ("AWS::Cognito::UserPool", "AWS::Cognito::UserPoolClient", "AWS::Cognito::UserPoolGroup")
_API_TYPES = ("AWS::ApiGatewayV2::Api", "AWS::ApiGatewayV2::Stage")
_STATE_MACHINE_TYPES = ("AWS::StepFunctions::StateMachine",)
_SECRET_TYPES = ("AWS::SecretsManager::Secret",)
# moto's CloudFormation has no Scheduler schedules, and moto's scheduler never fires one: the local cloud
# runs what a template schedule would start itself (localcloud.requalify).
_SCHEDULE_TYPES = ("AWS::Scheduler::Schedule",)
_PASSWORD_OPTIONS = (
    "PasswordLength",
    "ExcludeCharacters",
    "ExcludeNumbers",
    "ExcludePunctuation",
    "ExcludeUppercase",
    "ExcludeLowercase",
    "IncludeSpace",
    "RequireEachIncludedType",
)


class ProvisioningError(RuntimeError):
    pass


def of_type(template: Mapping[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {
        logical_id: resource.get("Properties", {})
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == resource_type
    }


def provision_cognito(template: Mapping[str, Any], values: dict[str, str], region: str) -> None:
    """Create user pools, clients and groups; record their Ref/GetAtt values in `values`."""
    idp = boto3.client("cognito-idp", region_name=region)
    for logical_id, properties in of_type(template, "AWS::Cognito::UserPool").items():
        # LambdaConfig names functions of the stack, which do not exist yet: connect_user_pool_triggers.
        spec = resolved({k: v for k, v in properties.items() if k != "LambdaConfig"}, values)
        spec["PoolName"] = spec.pop("UserPoolName", f"{values['AWS::StackName']}-{logical_id}")
        spec.pop("DeletionProtection", None)
        pool = idp.create_user_pool(**spec)["UserPool"]
        values[logical_id] = pool["Id"]
        values[f"{logical_id}.Arn"] = pool["Arn"]
        values[f"{logical_id}.UserPoolId"] = pool["Id"]
        values[f"{logical_id}.ProviderName"] = f"cognito-idp.{region}.amazonaws.com/{pool['Id']}"
        values[f"{logical_id}.ProviderURL"] = f"https://cognito-idp.{region}.amazonaws.com/{pool['Id']}"
    for logical_id, properties in of_type(template, "AWS::Cognito::UserPoolClient").items():
        client = idp.create_user_pool_client(**resolved(properties, values))["UserPoolClient"]
        values[logical_id] = client["ClientId"]
        values[f"{logical_id}.ClientId"] = client["ClientId"]
    for logical_id, properties in of_type(template, "AWS::Cognito::UserPoolGroup").items():
        group = idp.create_group(**resolved(properties, values))["Group"]
        values[logical_id] = group["GroupName"]


def provision_secrets(template: Mapping[str, Any], values: dict[str, str], region: str) -> None:
    """Create the template's secrets (value given or generated); record their Ref (the ARN) in `values`."""
    secretsmanager = boto3.client("secretsmanager", region_name=region)
    for logical_id, properties in of_type(template, "AWS::SecretsManager::Secret").items():
        spec = resolved({k: v for k, v in properties.items() if k != "KmsKeyId"}, values)
        value = spec.get("SecretString")
        generate = spec.get("GenerateSecretString")
        if value is None and generate is not None:
            options = {k: generate[k] for k in _PASSWORD_OPTIONS if k in generate}
            value = secretsmanager.get_random_password(**options)["RandomPassword"]
            if "SecretStringTemplate" in generate:
                value = json.dumps(
                    {**json.loads(generate["SecretStringTemplate"]), generate["GenerateStringKey"]: value}
                )
        created = secretsmanager.create_secret(
            Name=spec.get("Name", f"{values['AWS::StackName']}-{logical_id}"),
            Description=spec.get("Description", ""),
            SecretString=value or "",
        )
        values[logical_id] = created["ARN"]
        values[f"{logical_id}.Id"] = created["ARN"]


def encrypt_secrets(
    template: Mapping[str, Any], physical_ids: Mapping[str, str], values: Mapping[str, str], region: str
) -> None:
    """Apply each secret's ``KmsKeyId`` (a key of the stack, known only once the stack exists)."""
    secretsmanager = boto3.client("secretsmanager", region_name=region)
    known = {**values, **physical_ids}
    for logical_id, properties in of_type(template, "AWS::SecretsManager::Secret").items():
        if "KmsKeyId" in properties:
            secretsmanager.update_secret(
                SecretId=values[logical_id], KmsKeyId=resolved(properties["KmsKeyId"], known)
            )


def connect_user_pool_triggers(
    template: Mapping[str, Any], physical_ids: Mapping[str, str], values: Mapping[str, str], region: str
) -> None:
    """Apply each pool's LambdaConfig (UpdateUserPool resets what it is not given: send it all)."""
    idp = boto3.client("cognito-idp", region_name=region)
    known = {**values, **_arn_values(template, physical_ids, region), **physical_ids}
    updatable = set(idp.meta.service_model.operation_model("UpdateUserPool").input_shape.members)
    for logical_id, properties in of_type(template, "AWS::Cognito::UserPool").items():
        if "LambdaConfig" not in properties:
            continue
        spec = resolved(properties, known)
        update = {name: value for name, value in spec.items() if name in updatable}
        idp.update_user_pool(UserPoolId=values[logical_id], **update)


def create_ses_identities(template: Mapping[str, Any], values: Mapping[str, str], region: str) -> None:
    """The SES identities the pools send from (in production they are verified outside the stack)."""
    for properties in of_type(template, "AWS::Cognito::UserPool").values():
        email = resolved(properties.get("EmailConfiguration", {}), values)
        if email.get("EmailSendingAccount") != "DEVELOPER":
            continue
        arn = str(email["SourceArn"])
        ses_region, identity = arn.split(":")[3], arn.split(":identity/", 1)[1]
        boto3.client("sesv2", region_name=ses_region).create_email_identity(EmailIdentity=identity)


def template_for_moto(template: Mapping[str, Any], values: Mapping[str, str]) -> dict[str, Any]:
    """The translated template minus what was provisioned by API, with references resolved."""
    removed = {
        logical_id
        for logical_id, resource in template["Resources"].items()
        if resource["Type"]
        in _COGNITO_TYPES + _API_TYPES + _STATE_MACHINE_TYPES + _SECRET_TYPES + _SCHEDULE_TYPES
    }
    resources: dict[str, Any] = {}
    for logical_id, resource in template["Resources"].items():
        if logical_id in removed:
            continue
        kept = cast(dict[str, Any], substitute(resource, values))
        depends_on = kept.get("DependsOn")
        if isinstance(depends_on, list):
            kept["DependsOn"] = [name for name in depends_on if name not in removed]
        elif isinstance(depends_on, str) and depends_on in removed:
            del kept["DependsOn"]
        if kept["Type"] == "AWS::DynamoDB::Table":
            _add_api_shaped_sse(kept.get("Properties", {}))
        resources[logical_id] = kept
    moto_template = {key: value for key, value in template.items() if key not in {"Rules", "Resources"}}
    moto_template["Resources"] = resources
    moto_template["Outputs"] = substitute(template.get("Outputs", {}), values)
    return moto_template


def event_bus_values(template: Mapping[str, Any], values: Mapping[str, str], region: str) -> dict[str, str]:
    resolved_values: dict[str, str] = {}
    for logical_id, properties in of_type(template, "AWS::Events::EventBus").items():
        name = resolved(properties["Name"], values)
        resolved_values[logical_id] = name
        resolved_values[f"{logical_id}.Name"] = name
        resolved_values[f"{logical_id}.Arn"] = f"arn:aws:events:{region}:{MOTO_ACCOUNT_ID}:event-bus/{name}"
    return resolved_values


def _add_api_shaped_sse(table_properties: dict[str, Any]) -> None:
    sse = table_properties.get("SSESpecification")
    if isinstance(sse, dict) and "SSEEnabled" in sse:
        sse["Enabled"] = sse["SSEEnabled"]


def state_machine_values(
    template: Mapping[str, Any], values: Mapping[str, str], region: str
) -> dict[str, str]:
    resolved_values: dict[str, str] = {}
    for logical_id, properties in of_type(template, "AWS::StepFunctions::StateMachine").items():
        name = resolved(
            properties.get("StateMachineName", f"{values['AWS::StackName']}-{logical_id}"), values
        )
        arn = f"arn:aws:states:{region}:{MOTO_ACCOUNT_ID}:stateMachine:{name}"
        resolved_values.update({logical_id: arn, f"{logical_id}.Arn": arn, f"{logical_id}.Name": name})
    return resolved_values


def _arn_values(template: Mapping[str, Any], physical_ids: Mapping[str, str], region: str) -> dict[str, str]:
    """``GetAtt X.Arn`` of the stack resources a state machine definition usually names."""
    arn_formats = {
        "AWS::Lambda::Function": f"arn:aws:lambda:{region}:{MOTO_ACCOUNT_ID}:function:{{}}",
        "AWS::IAM::Role": f"arn:aws:iam::{MOTO_ACCOUNT_ID}:role/{{}}",
        "AWS::DynamoDB::Table": f"arn:aws:dynamodb:{region}:{MOTO_ACCOUNT_ID}:table/{{}}",
    }
    arns: dict[str, str] = {}
    for logical_id, resource in template["Resources"].items():
        arn_format = arn_formats.get(resource["Type"])
        if arn_format and physical_ids.get(logical_id):
            arns[f"{logical_id}.Arn"] = arn_format.format(physical_ids[logical_id])
    return arns


def create_state_machines(
    template: Mapping[str, Any], physical_ids: Mapping[str, str], values: Mapping[str, str], region: str
) -> None:
    stepfunctions = boto3.client("stepfunctions", region_name=region)
    known = {**values, **_arn_values(template, physical_ids, region), **physical_ids}
    for logical_id, properties in of_type(template, "AWS::StepFunctions::StateMachine").items():
        definition = properties.get("DefinitionString") or json.dumps(properties.get("Definition", {}))
        definition = resolved(definition, known)
        for name, value in resolved(properties.get("DefinitionSubstitutions", {}), known).items():
            definition = definition.replace("${" + name + "}", str(value))
        stepfunctions.create_state_machine(
            name=values[f"{logical_id}.Name"],
            definition=definition,
            roleArn=resolved(properties["RoleArn"], known),
            type=properties.get("StateMachineType", "STANDARD"),
        )


def api_values(template: Mapping[str, Any]) -> dict[str, str]:
    return {
        logical_id: LOCAL_API_ID
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == "AWS::ApiGatewayV2::Api"
    }


def patch_tables(template: Mapping[str, Any], physical_ids: Mapping[str, str], region: str) -> None:
    dynamodb = boto3.client("dynamodb", region_name=region)
    for logical_id, properties in of_type(template, "AWS::DynamoDB::Table").items():
        table_name = physical_ids[logical_id]
        ttl = properties.get("TimeToLiveSpecification")
        if ttl and ttl.get("Enabled"):
            dynamodb.update_time_to_live(
                TableName=table_name,
                TimeToLiveSpecification={"AttributeName": ttl["AttributeName"], "Enabled": True},
            )
        pitr = properties.get("PointInTimeRecoverySpecification", {})
        if pitr.get("PointInTimeRecoveryEnabled"):
            dynamodb.update_continuous_backups(
                TableName=table_name,
                PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
            )


def layer_version_arns(template: Mapping[str, Any], stack_name: str, region: str) -> dict[str, str]:
    # moto names a stack's layer "<stack>-<logical id>-<suffix>", ignoring the LayerName property.
    lambda_client = boto3.client("lambda", region_name=region)
    layers = lambda_client.list_layers()["Layers"]
    arns: dict[str, str] = {}
    for logical_id in of_type(template, "AWS::Lambda::LayerVersion"):
        prefix = f"{stack_name}-{logical_id}-"
        matching = [layer for layer in layers if layer["LayerName"].startswith(prefix)]
        if len(matching) != 1:
            raise ProvisioningError(f"layer {logical_id}: expected one moto layer, found {len(matching)}")
        arns[logical_id] = matching[0]["LatestMatchingVersion"]["LayerVersionArn"]
    return arns


def patch_functions(
    template: Mapping[str, Any], physical_ids: Mapping[str, str], values: Mapping[str, str], region: str
) -> None:
    lambda_client = boto3.client("lambda", region_name=region)
    known = {**values, **physical_ids}
    for logical_id, properties in of_type(template, "AWS::Lambda::Function").items():
        update: dict[str, Any] = {}
        if properties.get("Layers"):
            update["Layers"] = resolved(properties["Layers"], known)
        if update:
            lambda_client.update_function_configuration(FunctionName=physical_ids[logical_id], **update)


def subscribe_topics(
    template: Mapping[str, Any], physical_ids: Mapping[str, str], values: Mapping[str, str], region: str
) -> None:
    """The template's SNS subscriptions, made through the SNS API."""
    sns = boto3.client("sns", region_name=region)
    known = {**values, **_arn_values(template, physical_ids, region), **physical_ids}
    for properties in of_type(template, "AWS::SNS::Subscription").values():
        sns.subscribe(
            TopicArn=resolved(properties["TopicArn"], known),
            Protocol=properties["Protocol"],
            Endpoint=resolved(properties["Endpoint"], known),
        )
