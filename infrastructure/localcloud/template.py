"""Read `template.yaml` and translate it from SAM to plain CloudFormation, offline.

The same translation feeds the local cloud (provisioning) and the template tests (cfn-lint on the
output), so what runs locally is what `sam deploy` would create.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_PATH = REPO_ROOT / "template.yaml"

# The translator needs ARNs only for managed policies named by short name in `Policies`; Salon
# uses policy templates and inline statements, so a small fixed map is enough offline.
MANAGED_POLICY_MAP: dict[str, str] = {
    "AWSLambdaBasicExecutionRole": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    "AWSXrayWriteOnlyAccess": "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
}


class _CfnYamlLoader(yaml.SafeLoader):
    """A YAML loader that understands CloudFormation short-form intrinsics (`!Ref`, `!Sub`...)."""


def _construct_intrinsic(loader: _CfnYamlLoader, tag_suffix: str, node: yaml.Node) -> dict[str, Any]:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(cast(yaml.MappingNode, node), deep=True)
    if tag_suffix == "Ref":
        return {"Ref": value}
    if tag_suffix == "GetAtt" and isinstance(value, str):
        resource, _, attribute = value.partition(".")
        return {"Fn::GetAtt": [resource, attribute]}
    if tag_suffix == "Condition":
        return {"Condition": value}
    return {f"Fn::{tag_suffix}": value}


_CfnYamlLoader.add_multi_constructor("!", _construct_intrinsic)


def load_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    """The SAM template as a plain dict (intrinsics in their long JSON form)."""
    loaded = yaml.load(path.read_text(encoding="utf-8"), Loader=_CfnYamlLoader)
    if not isinstance(loaded, dict):
        raise ValueError(f"{path.name} is not a mapping")
    return cast(dict[str, Any], loaded)


DEFAULT_REGION = "eu-west-3"
ARTIFACT_BUCKET = "salon-local-artifacts"
_CODE_PROPERTY = {"AWS::Serverless::Function": "CodeUri", "AWS::Serverless::LayerVersion": "ContentUri"}


def local_code_paths(sam_template: dict[str, Any]) -> dict[str, str]:
    """Logical id -> repo-relative code directory, for every function and layer with local code."""
    paths: dict[str, str] = {}
    for logical_id, resource in sam_template.get("Resources", {}).items():
        code_property = _CODE_PROPERTY.get(resource.get("Type", ""))
        uri = resource.get("Properties", {}).get(code_property) if code_property else None
        if isinstance(uri, str) and not uri.startswith("s3://"):
            paths[logical_id] = uri.rstrip("/") + "/"
    return paths


def package(sam_template: dict[str, Any], bucket: str = ARTIFACT_BUCKET) -> dict[str, Any]:
    """What `sam package` does, without uploading: local code paths become `s3://bucket/<path>`.

    The S3 key is the repo-relative directory, so whoever runs the code can find its source again.
    """
    packaged = cast(dict[str, Any], json.loads(json.dumps(sam_template)))
    for logical_id, path in local_code_paths(sam_template).items():
        resource = packaged["Resources"][logical_id]
        resource["Properties"][_CODE_PROPERTY[resource["Type"]]] = f"s3://{bucket}/{path}"
    for resource in packaged["Resources"].values():
        _inline_state_machine_definition(resource)
    return packaged


def _inline_state_machine_definition(resource: dict[str, Any]) -> None:
    # A local DefinitionUri (ASL file) is inlined as Definition: the translator then resolves its
    # DefinitionSubstitutions exactly as for an inline definition.
    properties = resource.get("Properties", {})
    uri = properties.get("DefinitionUri")
    if resource.get("Type") != "AWS::Serverless::StateMachine" or not isinstance(uri, str):
        return
    if uri.startswith("s3://"):
        return
    properties["Definition"] = load_template(REPO_ROOT / uri)
    del properties["DefinitionUri"]


def translate(sam_template: dict[str, Any], region: str = DEFAULT_REGION) -> dict[str, Any]:
    """SAM -> CloudFormation with aws-sam-translator (what the `AWS::Serverless` transform does)."""
    import boto3
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.translator import Translator

    fragment = package(sam_template)
    translator = Translator(
        MANAGED_POLICY_MAP, Parser(), boto_session=boto3.session.Session(region_name=region)
    )
    translated = translator.translate(fragment, parameter_values=_list_parameter_defaults(sam_template))
    return cast(dict[str, Any], translated)


def _list_parameter_defaults(sam_template: dict[str, Any]) -> dict[str, Any]:
    # The translator pastes parameter values into a few properties (the HttpApi's CORS origins). At
    # deploy time CloudFormation hands it a CommaDelimitedList's value as a list; offline, its own
    # defaulting would paste the comma-joined default string instead.
    return {
        name: str(parameter["Default"]).split(",")
        for name, parameter in sam_template.get("Parameters", {}).items()
        if parameter.get("Type") == "CommaDelimitedList" and "Default" in parameter
    }
