"""A login's links to its participations (``user_link`` items: participant, registration, event ids).

Read by every area that resolves a participant's token to their company; written by the registration
area when it opens a login. Here, apart from the registration repository, so that reading them pulls in
nothing else (a function's role grants what its imported code may call).
"""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import Key

from salon.kernel import keys
from salon.kernel.dynamo import Table
from salon.kernel.dynamo_reads import body


class UserLinks:
    def __init__(self, table: Table) -> None:
        self.table = table

    def of(self, tenant_id: str, user_sub: str) -> list[dict[str, Any]]:
        """The login's links in the tenant (strongly consistent: a login just opened is seen at once)."""
        items = self.table.query_all(Key("PK").eq(keys.user_pk(tenant_id, user_sub)), consistent=True)
        return [body(i) for i in items if i["item_type"] == "user_link"]
