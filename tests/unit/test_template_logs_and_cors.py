"""template.yaml: every function logs to a log group of the stack, and the HTTP API's CORS settings."""

from __future__ import annotations

from functools import cache
from typing import Any

from localcloud.routes import routes_from_template
from localcloud.template import load_template


@cache
def sam() -> dict[str, Any]:
    return load_template()


def of_type(resource_type: str) -> dict[str, dict[str, Any]]:
    return {
        logical_id: resource["Properties"]
        for logical_id, resource in sam()["Resources"].items()
        if resource["Type"] == resource_type
    }


def test_every_function_logs_to_its_own_log_group_with_the_stack_s_retention() -> None:
    functions = of_type("AWS::Serverless::Function")
    log_groups = of_type("AWS::Logs::LogGroup")

    assert functions
    used = [function["LoggingConfig"]["LogGroup"]["Ref"] for function in functions.values()]
    assert len(set(used)) == len(functions)
    for function in functions.values():
        log_group = log_groups[function["LoggingConfig"]["LogGroup"]["Ref"]]
        name = function["FunctionName"]["Fn::Sub"]
        assert log_group["LogGroupName"] == {"Fn::Sub": f"/aws/lambda/{name}"}
        assert log_group["RetentionInDays"] == {"Ref": "LogRetentionDays"}


def test_every_log_group_keeps_logs_for_the_retention_parameter() -> None:
    log_groups = of_type("AWS::Logs::LogGroup")

    assert "ApiAccessLogs" in log_groups
    assert all(group["RetentionInDays"] == {"Ref": "LogRetentionDays"} for group in log_groups.values())
    assert sam()["Parameters"]["LogRetentionDays"]["Default"] in (30, 60, 90, 180, 365)


def test_function_logs_stay_json() -> None:
    assert sam()["Globals"]["Function"]["LoggingConfig"] == {"LogFormat": "JSON"}


def test_cors_allows_the_origins_parameter_the_api_s_methods_and_headers() -> None:
    cors = of_type("AWS::Serverless::HttpApi")["HttpApi"]["CorsConfiguration"]
    origins = sam()["Parameters"]["AllowedOrigins"]
    values = {"AWS::Region": "eu-west-3", "UserPool": "pool", "UserPoolClient": "client"}
    methods = {route.method for route in routes_from_template(sam(), values)}

    assert cors["AllowOrigins"] == {"Ref": "AllowedOrigins"}
    assert origins["Type"] == "CommaDelimitedList"
    assert "*" not in origins["Default"]
    assert set(cors["AllowMethods"]) == methods
    assert set(cors["AllowHeaders"]) == {"Authorization", "Content-Type", "Idempotency-Key", "Accept"}
    assert "AllowCredentials" not in cors  # bearer tokens, no cookies
