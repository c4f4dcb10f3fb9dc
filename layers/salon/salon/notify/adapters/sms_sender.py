"""SMS through SNS (transactional, to a phone number)."""

from __future__ import annotations

import functools
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from salon.kernel import aws
from salon.kernel.platform import AreaDeps, Platform
from salon.notify.adapters.failures import SendFailed


@functools.cache
def _sns(endpoint: str, region: str) -> Any:
    return boto3.client("sns")


class SnsTexter:
    def send(self, number: str, text: str, kind: str) -> str:
        attributes: dict[str, Any] = {
            "AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"},
            "salon.kind": {"DataType": "String", "StringValue": kind},
        }
        try:
            response = _sns(*aws.where()).publish(
                PhoneNumber=number, Message=text, MessageAttributes=attributes
            )
        except (BotoCoreError, ClientError) as exc:
            raise SendFailed("SNS did not accept the SMS") from exc
        return str(response["MessageId"])


def _build(shared: Platform) -> SnsTexter:
    return SnsTexter()


texter = AreaDeps(_build)  # lazily built; tests may override it
