"""The personal-data registry: complete (every item type written, every store of the template),
consistent, enforced on every write path."""

from __future__ import annotations

import importlib
import json
import re
import typing
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from localcloud.template import load_template, translate
from pydantic import BaseModel
from salon.kernel.dynamo import Put, Table, Update
from salon.kernel.errors import UnregisteredItemType
from salon.kernel.registry import (
    ACCOUNTING_RECORDS,
    CONTRACTUAL,
    CONTRACTUAL_TYPES,
    KEY_ATTRIBUTES,
    REGISTRY,
    Category,
    Erasure,
    attribute_categories,
    check_item,
    contact_answer_keys,
    expires_at,
    personal_data_map,
    pseudonymise_on,
)
from salon.kernel.settings import Settings
from salon.kernel.stores import (
    IDEMPOTENCY_DAYS,
    LOG_RETENTION_DAYS,
    SCHEDULE_DOCUMENT_DAYS,
    STORES,
    Expiry,
    StoreKind,
)
from salon.registration.domain.forms import Form, FormField

PACKAGE = Path(__file__).resolve().parents[3] / "layers" / "salon" / "salon"


def written_item_types() -> set[str]:
    """Every literal item type the code writes (``"item_type": "<x>"`` and ``Update(..., "<x>", ...)``)."""
    found: set[str] = set()
    for source in PACKAGE.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        found.update(re.findall(r'"item_type":\s*"([a-z_]+)"', text))
        found.update(re.findall(r'Update\(\s*\{[^}]*\},\s*"([a-z_]+)"', text, flags=re.S))
    return found


def test_every_written_item_type_has_a_registry_entry() -> None:
    written = written_item_types()
    assert written, "the scan found no writes: the pattern is stale"
    missing = written - set(REGISTRY)
    assert not missing, f"item types written without a personal-data registry entry: {sorted(missing)}"


def test_entries_are_coherent() -> None:
    for spec in REGISTRY.values():
        assert not (spec.personal_names & spec.other), spec.item_type
        assert not (spec.personal_names & KEY_ATTRIBUTES), spec.item_type
        if spec.personal:
            retention = spec.retention
            assert retention is not None and retention.months * 31 + retention.days > 0, spec.item_type
            # 5 years at most, unless the law obliges to keep longer (invoices: 10 years)
            longest = 120 if spec.erasure is Erasure.KEEP_LEGAL else 60
            assert retention.months * 31 + retention.days <= longest * 31, spec.item_type
            assert spec.erasure is not Erasure.NOT_PERSONAL, spec.item_type
        else:
            assert spec.erasure is Erasure.NOT_PERSONAL, spec.item_type
        for attribute in spec.personal:
            assert isinstance(attribute.category, Category) and attribute.purpose


def test_event_data_is_kept_36_months_at_most() -> None:
    for name in ("registration", "participant", "profile", "email_claim", "user_link"):
        retention = REGISTRY[name].retention
        assert retention is not None and retention.anchor == "event_end" and retention.months <= 36


def test_contact_data_is_declared() -> None:
    mapping = personal_data_map()
    assert mapping["participant"]["email"] == "contact"
    assert mapping["participant"]["last_name"] == "identity"


def test_unknown_item_type_or_attribute_is_refused() -> None:
    with pytest.raises(UnregisteredItemType):
        check_item({"PK": "T#t#X", "SK": "X", "item_type": "mystery"})
    with pytest.raises(UnregisteredItemType):
        check_item({"PK": "T#t#X", "SK": "X"})
    with pytest.raises(UnregisteredItemType):
        check_item({"PK": "T#t#X", "SK": "X", "item_type": "participant", "date_of_birth": "1970-01-01"})


def test_repository_write_paths_refuse_before_any_call() -> None:
    table = Table("never-called")  # no AWS access happens: the check runs first
    with pytest.raises(UnregisteredItemType):
        table.put(Put({"PK": "T#t#X", "SK": "X", "item_type": "mystery"}))
    with pytest.raises(UnregisteredItemType):
        table.transact([Put({"PK": "T#t#X", "SK": "X", "item_type": "mystery"})])
    with pytest.raises(UnregisteredItemType):
        table.update(Update({"PK": "T#t#X", "SK": "X"}, "participant", set={"shoe_size": 42}))
    with pytest.raises(UnregisteredItemType):
        table.update(Update({"PK": "T#t#X", "SK": "X"}, "audit_record", set={"purpose": "rewrite history"}))


# Resource types that can hold data, and the store kinds each may be declared as.
DATA_RESOURCE_KINDS: dict[str, set[StoreKind]] = {
    "AWS::DynamoDB::Table": {StoreKind.TABLE_ITEMS, StoreKind.IDEMPOTENCY_RECORDS},
    "AWS::S3::Bucket": {StoreKind.DOCUMENTS},
    "AWS::SQS::Queue": {StoreKind.DEAD_LETTERS, StoreKind.EVENT_PAYLOADS},
    "AWS::SNS::Topic": {StoreKind.EVENT_PAYLOADS},
    "AWS::Cognito::UserPool": {StoreKind.USER_ATTRIBUTES},
    "AWS::Events::EventBus": {StoreKind.EVENT_PAYLOADS},
    "AWS::Events::Archive": {StoreKind.EVENT_PAYLOADS},
    "AWS::Logs::LogGroup": {StoreKind.LOGS},
    "AWS::SecretsManager::Secret": {StoreKind.SECRET},
    "AWS::StepFunctions::StateMachine": {StoreKind.EVENT_PAYLOADS},
    "AWS::Kinesis::Stream": {StoreKind.STREAM_IMAGES},
    "AWS::OpenSearchService::Domain": {StoreKind.SEARCH_INDEX},
}


@cache
def data_resources() -> dict[str, str]:
    """Logical id -> type of every resource of the translated template that can hold data."""
    found: dict[str, str] = {}
    for logical_id, resource in translate(load_template())["Resources"].items():
        kind = resource["Type"]
        if kind in DATA_RESOURCE_KINDS:
            found[logical_id] = kind
        if kind == "AWS::DynamoDB::Table" and "StreamSpecification" in resource.get("Properties", {}):
            found[f"{logical_id}.Stream"] = "stream of " + logical_id
        if kind == "AWS::IAM::Role" and "scheduler:CreateScheduleGroup" in json.dumps(resource):
            # EventBridge Scheduler groups are created through the API by the role's function
            found[f"{logical_id}.ScheduleGroups"] = "schedule groups of " + logical_id
    return found


def missing_entries(resources: dict[str, str]) -> str:
    missing = [
        f"{logical_id} ({kind})" for logical_id, kind in sorted(resources.items()) if logical_id not in STORES
    ]
    return (
        "no personal-data registry entry (salon/kernel/stores.py STORES) for: " + ", ".join(missing)
        if missing
        else ""
    )


def test_every_resource_that_can_hold_data_has_a_store_entry() -> None:
    resources = data_resources()
    assert {"SalonTable", "SalonTable.Stream", "UserPool", "ScheduleBucket"} <= set(resources)
    assert missing_entries(resources) == ""


def test_a_new_store_is_flagged_by_its_logical_id() -> None:
    resources = {**data_resources(), "ArchiveTable": "AWS::DynamoDB::Table", "OutboxDlq": "AWS::SQS::Queue"}
    assert missing_entries(resources) == (
        "no personal-data registry entry (salon/kernel/stores.py STORES) for: "
        "ArchiveTable (AWS::DynamoDB::Table), OutboxDlq (AWS::SQS::Queue)"
    )


def test_every_store_entry_names_a_resource_of_its_kind() -> None:
    resources = data_resources()
    for logical_id, store in STORES.items():
        assert logical_id in resources, f"store {logical_id} is not a data resource of the template"
        kind = resources[logical_id]
        if kind.startswith(("stream of", "schedule groups of")):
            allowed = {StoreKind.STREAM_IMAGES if kind.startswith("stream of") else StoreKind.EVENT_PAYLOADS}
        else:
            allowed = DATA_RESOURCE_KINDS[kind]
        assert store.kind in allowed, f"store {logical_id}: {store.kind} for a {kind}"


def test_every_store_says_how_to_find_a_person_and_what_erasure_does() -> None:
    for store in STORES.values():
        assert store.description and store.erasure_does, store.logical_id
        if store.erasure is Erasure.NOT_PERSONAL:
            continue
        assert store.personal and store.find_by, store.logical_id
        assert all(lookup.key and lookup.how for lookup in store.find_by), store.logical_id
        if store.kind is not StoreKind.TABLE_ITEMS:
            assert store.retention is not None, store.logical_id
        if store.erasure is Erasure.EXPIRE:
            assert isinstance(store.retention, Expiry) and store.retention.days <= 90, store.logical_id


def test_the_table_stores_hold_every_registered_item_type_once() -> None:
    held = [t for store in STORES.values() if store.kind is StoreKind.TABLE_ITEMS for t in store.item_types]
    assert sorted(held) == sorted(REGISTRY)
    assert set(STORES["AuditTable"].item_types) == {"audit_record", "audit_subject"}


def test_expiry_delays_match_the_template_and_the_settings() -> None:
    template = load_template()
    assert template["Parameters"]["LogRetentionDays"]["Default"] == LOG_RETENTION_DAYS
    rules = template["Resources"]["ScheduleBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    assert [r["ExpirationInDays"] for r in rules] == [SCHEDULE_DOCUMENT_DAYS]
    default_ttl = Settings.model_fields["idempotency_ttl_seconds"].default
    assert default_ttl == IDEMPOTENCY_DAYS * 86_400
    expiries = {k: s.retention.days for k, s in STORES.items() if isinstance(s.retention, Expiry)}
    assert expiries["ApiAccessLogs"] == LOG_RETENTION_DAYS
    assert expiries["IdempotencyTable"] == IDEMPOTENCY_DAYS
    assert expiries["ScheduleBucket"] == SCHEDULE_DOCUMENT_DAYS
    relay_dead_letters = template["Resources"]["OutboxRelayDeadLetters"]["Properties"]
    assert relay_dead_letters["MessageRetentionPeriod"] == expiries["OutboxRelayDeadLetters"] * 86_400


def test_the_cognito_username_is_declared_as_contact_data() -> None:
    personal = {a.name: a.category for a in STORES["UserPool"].personal}
    assert personal["username"] is Category.CONTACT and personal["email"] is Category.CONTACT
    assert {"custom:tenant_id", "locale"} <= set(personal)


def _form(*fields: tuple[str, str, str]) -> Form:
    labels = {"fr": "x", "en": "x"}
    return Form(
        event_id="evt_1",
        version=1,
        fields=[
            FormField.model_validate({"key": k, "type": t, "level": v, "labels": labels})
            for k, t, v in fields
        ],
    )


def test_answers_to_email_and_phone_fields_are_contact_data() -> None:
    form = _form(
        ("billing_email", "email", "company"),
        ("switchboard", "phone", "company"),
        ("sector", "text", "company"),
        ("mobile", "phone", "participant"),
        ("diet", "text", "participant"),
    )
    assert contact_answer_keys(form, "company") == {"billing_email", "switchboard"}
    assert contact_answer_keys(form, "participant") == {"mobile"}
    participant = attribute_categories("participant", form)
    assert participant["answers.mobile"] is Category.CONTACT
    assert participant["answers.diet"] is Category.PROFESSIONAL
    assert "answers.billing_email" not in participant  # company answers live on the registration
    registration = attribute_categories("registration", form)
    assert registration["answers.billing_email"] is Category.CONTACT
    assert registration["answers.sector"] is Category.PROFESSIONAL
    assert attribute_categories("profile", form) == {a.name: a.category for a in REGISTRY["profile"].personal}


def idempotent_use_cases() -> list[Any]:
    """Every ``@idempotent`` use case of the package (their results are what the idempotency store keeps)."""
    found: list[Any] = []
    for source in PACKAGE.rglob("*.py"):
        names = re.findall(r"^@idempotent\ndef (\w+)\(", source.read_text(encoding="utf-8"), flags=re.M)
        if names:
            module = importlib.import_module(
                ".".join(source.relative_to(PACKAGE.parent).with_suffix("").parts)
            )
            found.extend(getattr(module, name) for name in names)
    return found


def field_names(model: type[BaseModel]) -> set[str]:
    names: set[str] = set()
    for name, info in model.model_fields.items():
        names.add(name)
        for inner in (info.annotation, *typing.get_args(info.annotation)):
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                names |= field_names(inner)
    return names


def test_idempotency_records_keep_ids_never_personal_data() -> None:
    personal = {
        a.name for spec in REGISTRY.values() for a in spec.personal if a.category is not Category.TECHNICAL
    }
    use_cases = idempotent_use_cases()
    assert len(use_cases) >= 5, "the scan found too few idempotent use cases: the pattern is stale"
    for use_case in use_cases:
        result = typing.get_type_hints(use_case.__wrapped__)["return"]
        leaked = field_names(result) & personal
        assert not leaked, (
            f"{use_case.__name__} stores personal data in idempotency records: {sorted(leaked)}"
        )


def test_audit_items_are_declared_ids_only_kept_36_months_for_accountability() -> None:
    for name in ("audit_record", "audit_subject"):
        spec = REGISTRY[name]
        assert spec.append_only and spec.erasure is Erasure.KEEP_LEGAL, name
        assert spec.retention is not None and (spec.retention.anchor, spec.retention.months) == (
            "written",
            36,
        )
        assert {a.category for a in spec.personal} == {Category.TECHNICAL}, name
        assert "accountability" in spec.legal_basis


def test_an_audit_record_writes_one_record_and_one_small_pointer_per_subject() -> None:
    from datetime import UTC, datetime

    from salon.kernel.audit_record import AuditRecord
    from salon.kernel.audit_store import AuditStore

    subjects = [f"par_{i:032x}" for i in range(2100)]
    record = AuditRecord(
        audit_id=f"aud_{'0' * 32}",
        at=datetime(2026, 3, 1, 9, 30, tzinfo=UTC),
        tenant_id="t",
        actor_id="sub-1",
        actor_role="organizer",
        action="registration.list",
        subject_ids=[*subjects, subjects[0]],
        item_types=["registration", "participant"],
        fields=["email"],
        purpose="registration-review",
        request_id="req",
        count=100,
    )
    puts = AuditStore(Table("audit")).puts(record)
    assert len(puts) == 1 + len(subjects)  # a repeated subject is indexed once
    assert all(p.table == "audit" and p.condition == "attribute_not_exists(PK)" for p in puts)
    for put in puts:
        check_item(put.item)
    primary, *index = (p.item for p in puts)
    assert primary["item_type"] == "audit_record" and primary["subject_ids"] == record.subject_ids
    assert {i["item_type"] for i in index} == {"audit_subject"}
    assert max(len(str(i)) for i in index) < 400  # a pointer, never a copy of the record
    assert index[0]["SK"] == primary["GSI1SK"] == f"2026-03-01T09:30:00.000Z#{record.audit_id}"


def test_contractual_records_are_pseudonymised_after_5_years_and_kept_for_the_accounting_10() -> None:
    expected = {
        "order": {"billing", "placed_by"},
        "payment": {"reference", "recorded_by"},
        "refund": {"reason", "recorded_by"},
        "invoice": {"buyer"},
    }
    assert set(CONTRACTUAL_TYPES) == set(expected)
    for name, attributes in expected.items():
        spec = REGISTRY[name]
        assert spec.pseudonymise_after == CONTRACTUAL and spec.retention == ACCOUNTING_RECORDS, name
        assert set(spec.pseudonymised) == attributes <= spec.personal_names, name
        assert "pseudonymised_at" in spec.attributes, name
        assert not {"lines", "totals", "amount_cents", "number", "net_cents"} & set(spec.pseudonymised)


def test_the_pseudonymisation_falls_due_5_years_after_the_relationship_s_end_before_the_ttl() -> None:
    end = datetime(2026, 3, 31, 12, tzinfo=UTC)
    due = pseudonymise_on("order", end)
    assert due == end + timedelta(days=1826)  # 60 months of 30.44 days
    for name in CONTRACTUAL_TYPES:
        ttl = expires_at(name, end)
        assert ttl is not None and ttl > due.timestamp() + 4 * 365 * 86_400, name  # 10 years, not 5
    with pytest.raises(UnregisteredItemType):
        pseudonymise_on("participant", end)


def test_an_append_only_invoice_may_only_have_its_buyer_pseudonymised() -> None:
    table = Table("never-called")
    key = {"PK": "T#t#INVOICE#i", "SK": "INVOICE"}
    for changes in ({"buyer": "psn_x"}, {"buyer": "psn_x", "pseudonymised_at": "t", "number": "FA-1"}):
        with pytest.raises(UnregisteredItemType, match="append-only"):
            table.update(Update(key, "invoice", set=changes))
