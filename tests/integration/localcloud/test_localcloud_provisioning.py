"""What `LocalCloud` provisions from template.yaml, checked against moto's APIs."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import pytest
from localcloud import LocalCloud, LocalCloudError
from localcloud.provision import provision
from localcloud.template import load_template, translate

pytestmark = pytest.mark.integration


def test_tables_have_keys_indexes_ttl_streams_pitr_and_kms(cloud: LocalCloud) -> None:
    dynamodb = cloud.client("dynamodb")
    table = dynamodb.describe_table(TableName=cloud.resources.table_name)["Table"]
    ttl = dynamodb.describe_time_to_live(TableName=cloud.resources.table_name)["TimeToLiveDescription"]
    backups = dynamodb.describe_continuous_backups(TableName=cloud.resources.table_name)
    idempotency_ttl = dynamodb.describe_time_to_live(TableName=cloud.resources.idempotency_table_name)

    assert {index["IndexName"] for index in table["GlobalSecondaryIndexes"]} == {"GSI1", "GSI2"}
    assert table["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert table["SSEDescription"]["SSEType"] == "KMS"
    assert table["SSEDescription"]["KMSMasterKeyArn"] == cloud.resources.physical_ids["DataKey"]
    assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at"}
    pitr = backups["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
    assert pitr["PointInTimeRecoveryStatus"] == "ENABLED"
    assert idempotency_ttl["TimeToLiveDescription"]["AttributeName"] == "expiration"


def test_audit_table_has_its_actor_index_ttl_pitr_and_kms(cloud: LocalCloud) -> None:
    dynamodb = cloud.client("dynamodb")
    name = cloud.resources.audit_table_name
    table = dynamodb.describe_table(TableName=name)["Table"]
    backups = dynamodb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]

    assert name != cloud.resources.table_name
    assert [index["IndexName"] for index in table["GlobalSecondaryIndexes"]] == ["GSI1"]
    assert table["GlobalSecondaryIndexes"][0]["Projection"] == {
        "ProjectionType": "INCLUDE",
        "NonKeyAttributes": ["audit_id"],
    }
    assert "StreamSpecification" not in table or not table["StreamSpecification"].get("StreamEnabled")
    assert table["SSEDescription"]["KMSMasterKeyArn"] == cloud.resources.physical_ids["DataKey"]
    assert dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"] == {
        "TimeToLiveStatus": "ENABLED",
        "AttributeName": "expires_at",
    }
    assert backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"


def test_data_key_rotates(cloud: LocalCloud) -> None:
    status = cloud.client("kms").get_key_rotation_status(KeyId=cloud.resources.physical_ids["DataKey"])

    assert status["KeyRotationEnabled"] is True


def test_person_key_secret_is_generated_from_the_template_and_encrypted_with_the_data_key(
    cloud: LocalCloud,
) -> None:
    arn = cloud.resources.physical_ids["PersonKeySecret"]
    secrets = cloud.client("secretsmanager")
    value = secrets.get_secret_value(SecretId=arn)["SecretString"]
    described = secrets.describe_secret(SecretId=arn)
    variables = cloud.client("lambda").get_function_configuration(
        FunctionName=cloud.resources.function_name("RegisterFunction")
    )["Environment"]["Variables"]

    assert len(value) == 64 and value.isalnum()
    assert described["KmsKeyId"] == cloud.resources.physical_ids["DataKey"]
    assert variables["PERSON_KEY_SECRET_ARN"] == arn


def test_cognito_pool_groups_and_client(cloud: LocalCloud) -> None:
    idp = cloud.client("cognito-idp")
    pool_id = cloud.resources.user_pool_id
    groups = {group["GroupName"] for group in idp.list_groups(UserPoolId=pool_id)["Groups"]}
    client = idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=cloud.resources.user_pool_client_id)
    schema = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["SchemaAttributes"]

    assert groups == {"participant", "organizer", "staff", "dpo"}
    assert "ALLOW_ADMIN_USER_PASSWORD_AUTH" in client["UserPoolClient"]["ExplicitAuthFlows"]
    assert "ClientSecret" not in client["UserPoolClient"]
    assert "custom:tenant_id" in {attribute["Name"] for attribute in schema}


def test_function_configuration_comes_from_the_template(cloud: LocalCloud) -> None:
    configuration = cloud.client("lambda").get_function_configuration(
        FunctionName=cloud.resources.function_name("RegisterFunction")
    )
    variables = configuration["Environment"]["Variables"]

    assert configuration["Handler"] == "app.handler"
    assert configuration["Runtime"] == "python3.11"
    assert len(configuration["Layers"]) == 1
    assert variables["TABLE_NAME"] == cloud.resources.table_name
    assert variables["AUDIT_TABLE_NAME"] == cloud.resources.audit_table_name
    assert variables["IDEMPOTENCY_TABLE_NAME"] == cloud.resources.idempotency_table_name
    assert variables["EVENT_BUS_NAME"] == cloud.resources.event_bus_name
    assert variables["USER_POOL_ID"] == cloud.resources.user_pool_id
    assert variables["USER_POOL_CLIENT_ID"] == cloud.resources.user_pool_client_id
    assert variables["POWERTOOLS_SERVICE_NAME"] == "register"


def test_created_user_logs_in_with_an_id_token(cloud: LocalCloud) -> None:
    email = f"dpo-{uuid.uuid4().hex[:8]}@example.test"
    sub = cloud.create_user(email, "First-Passw0rd-1", "dpo", "tenant-z")
    cloud.set_password(f"s:tenant-z:{email}", "Second-Passw0rd-2")

    token = cloud.login(f"s:tenant-z:{email}", "Second-Passw0rd-2")

    payload = json.loads(_b64(token.split(".")[1]))
    assert payload["sub"] == sub
    assert payload["token_use"] == "id"
    assert payload["cognito:groups"] == ["dpo"]
    assert payload["custom:tenant_id"] == "tenant-z"


def _b64(segment: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def test_one_cloud_per_process(cloud: LocalCloud) -> None:
    with pytest.raises(LocalCloudError):
        LocalCloud.start()


def test_state_machines_from_the_template_execute_real_asl(cloud: LocalCloud) -> None:
    """A SAM state machine (DefinitionUri + substitutions) is created where moto executes ASL."""
    sam: dict[str, Any] = load_template()
    sam["Resources"]["EchoStateMachine"] = {
        "Type": "AWS::Serverless::StateMachine",
        "Properties": {
            "DefinitionUri": "tests/integration/localcloud/statemachines/echo.asl.json",
            "DefinitionSubstitutions": {"EchoFunctionArn": {"Fn::GetAtt": ["RegisterFunction", "Arn"]}},
            "Policies": [{"LambdaInvokePolicy": {"FunctionName": {"Ref": "RegisterFunction"}}}],
        },
    }
    stack_name = f"sfn{uuid.uuid4().hex[:6]}"
    resources = provision(sam, translate(sam), stack_name, cloud.resources.region)
    cloud.deploy_code(
        resources.function_name("RegisterFunction"), "tests/integration/localcloud/handlers/echo"
    )
    stepfunctions = cloud.client("stepfunctions")
    marker = uuid.uuid4().hex

    execution = stepfunctions.start_execution(
        stateMachineArn=resources.physical_ids["EchoStateMachine"], input=json.dumps({"marker": marker})
    )

    deadline = time.monotonic() + 10
    described = stepfunctions.describe_execution(executionArn=execution["executionArn"])
    while described["status"] == "RUNNING" and time.monotonic() < deadline:
        time.sleep(0.05)
        described = stepfunctions.describe_execution(executionArn=execution["executionArn"])
    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"]) == {"echoed": marker}
