"""template.yaml: cfn-lint clean before and after the SAM transform, and the contracts others code against."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

import pytest
from cfnlint.api import ManualArgs, lint
from localcloud.provision import EU_REGIONS, ProvisioningError, check_region_rule
from localcloud.routes import routes_from_template
from localcloud.template import TEMPLATE_PATH, load_template, translate
from salon.kernel.routes import ROUTES as DECLARED

ROUTES = {route.key: route.public for route in DECLARED}  # route key -> public (salon.kernel.routes)


@cache
def sam() -> dict[str, Any]:
    return load_template()


@cache
def cfn() -> dict[str, Any]:
    return translate(sam())


def resource(logical_id: str) -> dict[str, Any]:
    return dict(sam()["Resources"][logical_id])


def props(logical_id: str) -> dict[str, Any]:
    return dict(resource(logical_id)["Properties"])


def _lint(text: str) -> list[str]:
    config = ManualArgs(regions=["eu-west-3"], include_checks=["I"])
    return [
        f"{match.rule.id} {match.message} (line {match.linenumber})" for match in lint(text, config=config)
    ]


def test_sam_template_is_cfn_lint_clean() -> None:
    assert _lint(TEMPLATE_PATH.read_text(encoding="utf-8")) == []


# The transform pastes the CORS origins into the API definition, after which nothing refers to the
# parameter any more (in the deployed stack too): the one warning the translation itself causes.
CONSUMED_BY_THE_TRANSFORM = "W2001 Parameter AllowedOrigins not used."


def test_translated_template_is_cfn_lint_clean() -> None:
    matches = _lint(json.dumps(cfn(), indent=1))

    assert [m for m in matches if not m.startswith(CONSUMED_BY_THE_TRANSFORM)] == []
    api = next(r for r in cfn()["Resources"].values() if r["Type"] == "AWS::ApiGatewayV2::Api")
    origins = api["Properties"]["Body"]["x-amazon-apigateway-cors"]["allowOrigins"]
    assert origins == sam()["Parameters"]["AllowedOrigins"]["Default"].split(",")


def test_every_route_exists_with_the_right_auth() -> None:
    values = {"AWS::Region": "eu-west-3", "UserPool": "eu-west-3_pool", "UserPoolClient": "client"}
    routes = {route.route_key: route for route in routes_from_template(sam(), values)}

    assert {key: route.authorizer is None for key, route in routes.items()} == ROUTES
    authorizer = routes["POST /events"].authorizer
    assert authorizer is not None
    assert authorizer.issuer == "https://cognito-idp.eu-west-3.amazonaws.com/eu-west-3_pool"
    assert authorizer.audiences == ("client",)


def test_translated_http_api_carries_every_route() -> None:
    apis = [r for r in cfn()["Resources"].values() if r["Type"] == "AWS::ApiGatewayV2::Api"]
    assert len(apis) == 1
    paths = apis[0]["Properties"]["Body"]["paths"]
    translated = {f"{method.upper()} {path}" for path, methods in paths.items() for method in methods}
    assert translated == set(ROUTES)
    for path, methods in paths.items():
        for method, operation in methods.items():
            expected = [{"NONE": []}] if ROUTES[f"{method.upper()} {path}"] else [{"CognitoJwt": []}]
            assert operation["security"] == expected, f"{method} {path}"
            assert operation["x-amazon-apigateway-integration"]["payloadFormatVersion"] == "2.0"


def test_http_api_default_authorizer_is_cognito_jwt() -> None:
    auth = props("HttpApi")["Auth"]
    jwt_config = auth["Authorizers"][auth["DefaultAuthorizer"]]["JwtConfiguration"]

    assert auth["Authorizers"][auth["DefaultAuthorizer"]]["IdentitySource"] == "$request.header.Authorization"
    assert jwt_config["issuer"] == {"Fn::Sub": "https://cognito-idp.${AWS::Region}.amazonaws.com/${UserPool}"}
    assert jwt_config["audience"] == [{"Ref": "UserPoolClient"}]


def test_deployment_is_restricted_to_eu_regions() -> None:
    assertion = sam()["Rules"]["EuRegionOnly"]["Assertions"][0]["Assert"]["Fn::Contains"]
    regions, region_ref = assertion

    assert region_ref == {"Ref": "AWS::Region"}
    assert "eu-west-3" in regions
    assert all(region.startswith("eu-") for region in regions)
    assert "eu-west-2" not in regions  # London is not in the EU
    assert tuple(regions) == EU_REGIONS
    assert cfn()["Rules"] == sam()["Rules"]


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-2", "ap-south-1"])
def test_local_provisioning_refuses_non_eu_regions(region: str) -> None:
    with pytest.raises(ProvisioningError):
        check_region_rule(region)


def test_function_globals() -> None:
    function = sam()["Globals"]["Function"]

    assert function["Runtime"] == "python3.11"
    assert function["Tracing"] == "Active"
    assert function["LoggingConfig"] == {"LogFormat": "JSON"}
    assert set(function["Environment"]["Variables"]) == {
        "TABLE_NAME",
        "AUDIT_TABLE_NAME",
        "IDEMPOTENCY_TABLE_NAME",
        "EVENT_BUS_NAME",
        "POWERTOOLS_SERVICE_NAME",
        "POWERTOOLS_LOG_LEVEL",
        "POWERTOOLS_METRICS_NAMESPACE",
    }
    # Not global: the pool's trigger function would refer to the pool that refers to it (a cycle).
    register = props("RegisterFunction")["Environment"]["Variables"]
    assert register["USER_POOL_ID"] == {"Ref": "UserPool"}
    assert register["USER_POOL_CLIENT_ID"] == {"Ref": "UserPoolClient"}


def test_salon_table() -> None:
    table = props("SalonTable")
    keys = {(k["AttributeName"], k["KeyType"]) for k in table["KeySchema"]}
    indexes = {index["IndexName"]: index for index in table["GlobalSecondaryIndexes"]}

    assert keys == {("PK", "HASH"), ("SK", "RANGE")}
    assert {a["AttributeName"]: a["AttributeType"] for a in table["AttributeDefinitions"]} == {
        name: "S" for name in ("PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK")
    }
    for name in ("GSI1", "GSI2"):
        index_keys = [(k["AttributeName"], k["KeyType"]) for k in indexes[name]["KeySchema"]]
        assert index_keys == [(f"{name}PK", "HASH"), (f"{name}SK", "RANGE")]
        assert indexes[name]["Projection"] == {"ProjectionType": "ALL"}
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    assert table["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    assert table["StreamSpecification"] == {"StreamViewType": "NEW_IMAGE"}
    assert table["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert table["SSESpecification"] == {
        "SSEEnabled": True,
        "SSEType": "KMS",
        "KMSMasterKeyId": {"Ref": "DataKey"},
    }
    assert resource("SalonTable")["DeletionPolicy"] == "Retain"


def test_audit_table() -> None:
    table = props("AuditTable")
    (index,) = table["GlobalSecondaryIndexes"]

    assert [(k["AttributeName"], k["KeyType"]) for k in table["KeySchema"]] == [
        ("PK", "HASH"),
        ("SK", "RANGE"),
    ]
    assert {a["AttributeName"]: a["AttributeType"] for a in table["AttributeDefinitions"]} == {
        name: "S" for name in ("PK", "SK", "GSI1PK", "GSI1SK")
    }
    assert index["IndexName"] == "GSI1"  # by actor
    assert [(k["AttributeName"], k["KeyType"]) for k in index["KeySchema"]] == [
        ("GSI1PK", "HASH"),
        ("GSI1SK", "RANGE"),
    ]
    assert table["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    assert "StreamSpecification" not in table
    assert table["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert table["SSESpecification"] == {
        "SSEEnabled": True,
        "SSEType": "KMS",
        "KMSMasterKeyId": {"Ref": "DataKey"},
    }
    assert resource("AuditTable")["DeletionPolicy"] == "Retain"
    assert sam()["Globals"]["Function"]["Environment"]["Variables"]["AUDIT_TABLE_NAME"] == {
        "Ref": "AuditTable"
    }


# What a role may do on the audit table: append and read. Anything else (UpdateItem, DeleteItem,
# BatchWriteItem — which deletes too —, dynamodb:*) would let a function rewrite history.
AUDIT_TABLE_ACTIONS = {"dynamodb:PutItem", "dynamodb:Query", "dynamodb:ConditionCheckItem"}
# A tenant's closure counts the closed tenant's records (Scan) and deletes them (its erase step only);
# the tenant's export reads them (Scan) to give the organiser its audit trail back.
CLOSURE_ON_AUDIT_TABLE = {
    "TenantExportFunctionRole": {"dynamodb:Scan"},
    "ClosureInventoryFunctionRole": {"dynamodb:Scan"},
    "ClosureVerifyFunctionRole": {"dynamodb:Scan"},
    "ClosureEraseFunctionRole": {"dynamodb:Scan", "dynamodb:BatchWriteItem"},
}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _may_reach_audit_table(resource: Any) -> bool:
    """A statement resource naming the audit table, or any table by a wildcard."""
    text = json.dumps(resource)
    return resource == "*" or "AuditTable" in text or re.search(r"table/[^/\"]*\*", text) is not None


def _refused_on_audit_table(action: str) -> bool:
    reaches_dynamodb = action == "*" or action.lower().startswith("dynamodb:")
    return reaches_dynamodb and action not in AUDIT_TABLE_ACTIONS


def test_no_role_may_update_or_delete_the_audit_trail() -> None:
    roles = {name: r for name, r in cfn()["Resources"].items() if r["Type"] == "AWS::IAM::Role"}
    assert roles, "the translated template has no role: the check would pass vacuously"
    granted: set[str] = set()
    for name, role in roles.items():
        managed = role["Properties"].get("ManagedPolicyArns", [])
        assert not any("DynamoDB" in json.dumps(arn) for arn in managed), name
        for policy in role["Properties"].get("Policies", []):
            for statement in _as_list(policy["PolicyDocument"]["Statement"]):
                assert "NotAction" not in statement and "NotResource" not in statement, name
                if statement["Effect"] != "Allow":
                    continue
                if not any(_may_reach_audit_table(r) for r in _as_list(statement["Resource"])):
                    continue
                actions = set(_as_list(statement["Action"]))
                refused = {a for a in actions if _refused_on_audit_table(a)} - CLOSURE_ON_AUDIT_TABLE.get(
                    name, set()
                )
                assert not refused, f"{name} may {sorted(refused)} on the audit table"
                granted |= actions & AUDIT_TABLE_ACTIONS
    assert {"dynamodb:PutItem", "dynamodb:Query"} <= granted  # the register function appends and reads


def test_idempotency_table_uses_powertools_defaults() -> None:
    table = props("IdempotencyTable")

    assert table["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    assert table["TimeToLiveSpecification"] == {"AttributeName": "expiration", "Enabled": True}
    assert table["SSESpecification"]["KMSMasterKeyId"] == {"Ref": "DataKey"}


def test_data_key_rotates() -> None:
    assert props("DataKey")["EnableKeyRotation"] is True


def test_cognito_pool_groups_and_client() -> None:
    schema = {attribute["Name"]: attribute for attribute in props("UserPool")["Schema"]}
    groups = {
        p["GroupName"]
        for r in sam()["Resources"].values()
        if r["Type"] == "AWS::Cognito::UserPoolGroup"
        for p in [r["Properties"]]
    }
    client = props("UserPoolClient")

    assert schema["tenant_id"]["AttributeDataType"] == "String"
    assert groups == {"participant", "organizer", "staff", "dpo"}
    assert client["GenerateSecret"] is False
    assert set(client["ExplicitAuthFlows"]) == {
        "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
    }
    assert "custom:tenant_id" in client["ReadAttributes"]
    assert "custom:tenant_id" not in client["WriteAttributes"]
    assert "locale" in client["ReadAttributes"]


def test_usernames_are_plain_strings_and_invitations_go_through_ses() -> None:
    pool = props("UserPool")
    assert "UsernameAttributes" not in pool and "AliasAttributes" not in pool  # the e-mail is not unique
    assert pool["EmailConfiguration"] == {
        "EmailSendingAccount": "DEVELOPER",
        "SourceArn": {
            "Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}"
            ":identity/${InvitationSesIdentity}"
        },
        "From": {"Ref": "InvitationSender"},
    }
    assert {"InvitationSesIdentity", "InvitationSender"} <= set(sam()["Parameters"])
    trigger = props("InvitationFunction")
    assert (trigger["CodeUri"], trigger["Handler"]) == ("functions/register/", "invitation.handler")
    assert trigger["Role"] == {"Fn::GetAtt": ["InvitationFunctionRole", "Arn"]}  # its own, logs only
    translated = cfn()["Resources"]
    assert translated["UserPool"]["Properties"]["LambdaConfig"] == {
        "CustomMessage": {"Fn::GetAtt": ["InvitationFunction", "Arn"]}
    }
    permission = translated["InvitationFunctionCognitoPermission"]["Properties"]
    assert permission["Principal"] == "cognito-idp.amazonaws.com"
    assert (
        translated["InvitationFunction"]["Properties"]["Role"]
        != translated["RegisterFunction"]["Properties"]["Role"]
    )


def test_register_function_wiring() -> None:
    function = props("RegisterFunction")

    assert function["CodeUri"] == "functions/register/"
    assert function["Handler"] == "app.handler"
    assert function["Layers"] == [{"Ref": "SalonLayer"}]
    # Its actions are checked against its code in test_template_iam.py.
    assert function["Role"] == {"Fn::GetAtt": ["RegisterFunctionRole", "Arn"]}


def test_person_key_and_stripe_keys_are_secrets_each_read_by_its_functions_only() -> None:
    secret = resource("PersonKeySecret")
    assert secret["Type"] == "AWS::SecretsManager::Secret" and secret["DeletionPolicy"] == "Retain"
    assert secret["Properties"]["KmsKeyId"] == {"Ref": "DataKey"}
    assert secret["Properties"]["GenerateSecretString"]["PasswordLength"] >= 32
    readers = {
        logical_id: [(s["Action"], s["Resource"]) for s in statements if "secretsmanager" in str(s["Action"])]
        for logical_id, res in sam()["Resources"].items()
        if res["Type"] == "AWS::IAM::Role"
        for statements in [
            [s for p in res["Properties"]["Policies"] for s in p["PolicyDocument"]["Statement"]]
        ]
    }
    stripe_keys = [("secretsmanager:GetSecretValue", {"Ref": "StripeSecret"})]
    # register keys the e-mail claims, the notify functions the suppression list (no plain address)
    assert {k: v for k, v in readers.items() if v} == {
        "RegisterFunctionRole": [("secretsmanager:GetSecretValue", {"Ref": "PersonKeySecret"})],
        # the keyed hash of a data-subject request's e-mail finds the person
        "DsarFunctionRole": [("secretsmanager:GetSecretValue", {"Ref": "PersonKeySecret"})],
        "CheckoutFunctionRole": stripe_keys,
        "StripeWebhookFunctionRole": stripe_keys,
        "OrderExpiryFunctionRole": stripe_keys,
        "NotifyFunctionRole": [("secretsmanager:GetSecretValue", {"Ref": "PersonKeySecret"})],
        "ReminderFunctionRole": [("secretsmanager:GetSecretValue", {"Ref": "PersonKeySecret"})],
        "NotifyApiFunctionRole": [("secretsmanager:GetSecretValue", {"Ref": "PersonKeySecret"})],
        "NotifyFeedbackFunctionRole": [("secretsmanager:GetSecretValue", {"Ref": "PersonKeySecret"})],
        # the re-qualification links' per-tenant signing key
        "RequalificationFunctionRole": [("secretsmanager:GetSecretValue", {"Ref": "PersonKeySecret"})],
    }
    stripe_secret = resource("StripeSecret")
    assert stripe_secret["DeletionPolicy"] == "Retain"
    assert stripe_secret["Properties"]["KmsKeyId"] == {"Ref": "DataKey"}
    placeholders = json.loads(stripe_secret["Properties"]["SecretString"])
    assert set(placeholders.values()) == {""}, "no key in the template"
    assert props("RegisterFunction")["Role"] == {"Fn::GetAtt": ["RegisterFunctionRole", "Arn"]}
    variables = props("RegisterFunction")["Environment"]["Variables"]
    assert variables["PERSON_KEY_SECRET_ARN"] == {"Ref": "PersonKeySecret"}


def test_layers() -> None:
    for logical_id, content in (("SalonLayer", "layers/salon/"), ("SchedulerLayer", "layers/scheduler/")):
        assert props(logical_id)["ContentUri"] == content
    # The salon layer ships its modules compiled (layers/salon/Makefile, tests/unit/test_layer_build.py).
    assert resource("SalonLayer")["Metadata"]["BuildMethod"] == "makefile"
    assert resource("SchedulerLayer")["Metadata"]["BuildMethod"] == "python3.11"


def test_only_the_schedule_function_carries_the_scheduler_layer() -> None:
    functions = {
        logical_id: body["Properties"]
        for logical_id, body in sam()["Resources"].items()
        if body["Type"] == "AWS::Serverless::Function"
    }
    carrying = {name for name, p in functions.items() if {"Ref": "SchedulerLayer"} in p.get("Layers", [])}
    assert carrying == {"ScheduleFunction"}
    schedule = functions["ScheduleFunction"]
    assert schedule["CodeUri"] == "functions/schedule/"
    assert schedule["Timeout"] == 900  # the longest Lambda run: XL events take up to 10 minutes
    assert schedule["MemorySize"] >= 1769  # one full vCPU for the single-threaded engine
    assert schedule["Environment"]["Variables"]["SCHEDULE_BUCKET"] == {"Ref": "ScheduleBucket"}
    assert schedule["Role"] == {"Fn::GetAtt": ["ScheduleFunctionRole", "Arn"]}


def test_schedule_bucket_is_private_encrypted_with_the_data_key_and_expires_its_documents() -> None:
    bucket = props("ScheduleBucket")
    rule = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
    assert rule == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": {"Fn::GetAtt": ["DataKey", "Arn"]}}
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    assert bucket["LifecycleConfiguration"]["Rules"] == [
        {"Id": "ExpireWorkingCopies", "Status": "Enabled", "ExpirationInDays": 30}
    ]


def test_outputs() -> None:
    assert set(sam()["Outputs"]) == {
        "ApiUrl",
        "UserPoolId",
        "UserPoolClientId",
        "TableName",
        "AuditTableName",
        "IdempotencyTableName",
        "EventBusName",
        "ScheduleBucketName",
        "ScheduleFunctionName",
    }


def test_every_function_s_environment_gives_the_settings_it_must_have() -> None:
    """The local cloud runs every handler in one process, so it cannot show a function that lacks a
    variable another function has: each function's own environment (Globals and its own) must hold
    every setting without a default."""
    from salon.kernel.settings import Settings

    required = {name.upper() for name, field in Settings.model_fields.items() if field.is_required()}
    shared = set(sam()["Globals"]["Function"]["Environment"]["Variables"])
    lacking = {
        logical_id: sorted(
            required - shared - set(r["Properties"].get("Environment", {}).get("Variables", {}))
        )
        for logical_id, r in sam()["Resources"].items()
        if r["Type"] == "AWS::Serverless::Function"
    }

    assert required and {f: names for f, names in lacking.items() if names} == {}
