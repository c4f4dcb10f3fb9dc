"""Provision the local cloud from `template.yaml`: SAM -> CloudFormation -> moto's CloudFormation.

What moto's CloudFormation cannot do is bridged in `localcloud.moto_gaps` (each gap listed there).
"""

from __future__ import annotations

import contextlib
import io
import json
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import boto3

from localcloud.moto_gaps import (
    EU_REGIONS,
    LOCAL_API_ID,
    MOTO_ACCOUNT_ID,
    ProvisioningError,
    api_values,
    connect_user_pool_triggers,
    create_ses_identities,
    create_state_machines,
    encrypt_secrets,
    event_bus_values,
    layer_version_arns,
    of_type,
    patch_functions,
    patch_tables,
    provision_cognito,
    provision_secrets,
    state_machine_values,
    subscribe_topics,
    template_for_moto,
)
from localcloud.template import ARTIFACT_BUCKET, local_code_paths

# Parameters the local cloud sets instead of the template's production defaults: no OpenSearch domain
# can run offline (nor can moto's CloudFormation create one), so the catalogue runs on tantivy in the
# search functions' process and the template's UseOpenSearch condition leaves the domain out; nor can
# it reach VIES, so buyers' VAT numbers are confirmed by the invoicing stub (salon.checkout.invoicing).
# Moto's SES has no sending quota (GetAccount): the notify consumer's pace is given instead.
LOCAL_PARAMETERS = {
    "SearchEngine": "tantivy",
    "VatNumberCheck": "stub",
    "NotifyMaxSendRate": "1000",
}

__all__ = ["EU_REGIONS", "LOCAL_API_ID", "MOTO_ACCOUNT_ID", "ProvisioningError", "Resources", "provision"]


@dataclass(frozen=True)
class Resources:
    """Names and ids of what the stack created, as its outputs and physical ids say."""

    stack_name: str
    region: str
    table_name: str
    audit_table_name: str
    idempotency_table_name: str
    event_bus_name: str
    user_pool_id: str
    user_pool_client_id: str
    physical_ids: Mapping[str, str] = field(default_factory=dict)
    functions: Mapping[str, str] = field(default_factory=dict)

    def function_name(self, logical_id: str) -> str:
        return self.functions[logical_id]


def pseudo_parameters(stack_name: str, region: str) -> dict[str, str]:
    return {
        "AWS::StackName": stack_name,
        "AWS::Region": region,
        "AWS::AccountId": MOTO_ACCOUNT_ID,
        "AWS::Partition": "aws",
        "AWS::URLSuffix": "amazonaws.com",
    }


def check_region_rule(region: str) -> None:
    if region not in EU_REGIONS:
        raise ProvisioningError(f"region {region} is not an EU region (template Rules: EuRegionOnly)")


def placeholder_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("LOCAL.txt", "Code runs in-process from the repository (localcloud.runtime).\n")
    return buffer.getvalue()


def upload_artifacts(sam_template: Mapping[str, Any], region: str) -> None:
    """Placeholder zips in moto S3, one per local code directory (the code itself runs from the repo)."""
    s3 = boto3.client("s3", region_name=region)
    # A second stack in the same local cloud shares the bucket.
    with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
        s3.create_bucket(Bucket=ARTIFACT_BUCKET, CreateBucketConfiguration={"LocationConstraint": region})
    for path in local_code_paths(dict(sam_template)).values():
        s3.put_object(Bucket=ARTIFACT_BUCKET, Key=path, Body=placeholder_zip())


def create_stack(template: Mapping[str, Any], stack_name: str, region: str) -> dict[str, str]:
    """Create the stack in moto (with the local parameters); return its physical ids by logical id."""
    cloudformation = boto3.client("cloudformation", region_name=region)
    cloudformation.create_stack(
        StackName=stack_name,
        TemplateBody=json.dumps(template),
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in LOCAL_PARAMETERS.items()],
        Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"],
    )
    stack = cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]
    if stack["StackStatus"] != "CREATE_COMPLETE":
        raise ProvisioningError(
            f"stack {stack_name}: {stack['StackStatus']} {stack.get('StackStatusReason')}"
        )
    paginator = cloudformation.get_paginator("list_stack_resources")
    return {
        summary["LogicalResourceId"]: summary["PhysicalResourceId"]
        for page in paginator.paginate(StackName=stack_name)
        for summary in page["StackResourceSummaries"]
    }


def stack_outputs(stack_name: str, region: str) -> dict[str, str]:
    cloudformation = boto3.client("cloudformation", region_name=region)
    stack = cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]
    return {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}


def provision(
    sam_template: Mapping[str, Any], translated: Mapping[str, Any], stack_name: str, region: str
) -> Resources:
    check_region_rule(region)
    upload_artifacts(sam_template, region)
    values = pseudo_parameters(stack_name, region)
    values.update(_parameter_defaults(translated))
    values.update(LOCAL_PARAMETERS)
    provision_cognito(translated, values, region)
    provision_secrets(translated, values, region)
    create_ses_identities(translated, values, region)
    values.update(api_values(translated))
    values.update(event_bus_values(translated, values, region))
    values.update(state_machine_values(translated, values, region))
    physical_ids = create_stack(template_for_moto(translated, values), stack_name, region)
    physical_ids.update(layer_version_arns(translated, stack_name, region))
    patch_tables(translated, physical_ids, region)
    encrypt_secrets(translated, physical_ids, values, region)
    patch_functions(translated, physical_ids, values, region)
    create_state_machines(translated, physical_ids, values, region)
    connect_user_pool_triggers(translated, physical_ids, values, region)
    subscribe_topics(translated, physical_ids, values, region)
    outputs = stack_outputs(stack_name, region)
    externally_created = {
        name: value for name, value in values.items() if "." not in name and name in translated["Resources"]
    }
    functions = {
        logical_id: physical_ids[logical_id] for logical_id in of_type(translated, "AWS::Lambda::Function")
    }
    return Resources(
        stack_name=stack_name,
        region=region,
        table_name=outputs["TableName"],
        audit_table_name=outputs["AuditTableName"],
        idempotency_table_name=outputs["IdempotencyTableName"],
        event_bus_name=outputs["EventBusName"],
        user_pool_id=outputs["UserPoolId"],
        user_pool_client_id=outputs["UserPoolClientId"],
        physical_ids={**physical_ids, **externally_created},
        functions=functions,
    )


def _parameter_defaults(template: Mapping[str, Any]) -> dict[str, str]:
    return {
        name: str(parameter["Default"])
        for name, parameter in template.get("Parameters", {}).items()
        if "Default" in parameter
    }
