"""The request workflow's steps (one Lambda function each, invoked by the state machine with
``{"tenant_id", "dsar_id"}``): await the identity check, find, act (one batch per invocation: a store,
or the person), check the outcome, certify; fail records why."""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from boto3.dynamodb.conditions import Key

from salon.dsar import deps, walk
from salon.dsar.adapters import archive, certificate_pdf, dictionary
from salon.dsar.adapters.documents import documents
from salon.dsar.adapters.handlers import Handler
from salon.dsar.domain.certificate import certificate
from salon.dsar.domain.findings import StoreCount, residue
from salon.dsar.domain.person import Participation, Person
from salon.dsar.domain.requests import EXPORTING, FLAGGING, Kind
from salon.dsar.domain.targets import Target, targets
from salon.kernel import keys, platform
from salon.kernel.audit_record import AuditAction, AuditRecord
from salon.kernel.dynamo import Item
from salon.kernel.registry import REGISTRY, ItemSpec
from salon.kernel.stores import STORES, Store
from salon.kernel.values import iso

PERSON = "person"  # the batch that acts on the person as a whole (tombstone, flag, corrections, audit)


class UncoveredStore(RuntimeError):
    """A store of the registry has no handler: the request cannot say it found everything."""


class OutcomeNotVerified(RuntimeError):
    """The outcome check found a residue or a change to other people's data."""


def _request(tenant_id: str, dsar_id: str) -> dict[str, Any]:
    found = deps.get().requests.raw(tenant_id, dsar_id)
    if found is None:
        raise LookupError(f"no request {dsar_id}")
    return found


def _person(request: dict[str, Any]) -> Person:
    known = tuple(Participation(**p) for p in request.get("participations", []))
    return Person(
        request["tenant_id"], request["person_key"], request.get("email"), known, request["dsar_id"]
    )


def _handler(target: Target) -> Handler:
    handler = walk.get().handler(target)
    if handler is None:
        raise UncoveredStore(f"no handler covers {target.name}")
    return handler


def _steps(request: dict[str, Any], step: str, state: str) -> dict[str, str]:
    return {**request["steps"], step: state}


def _now() -> str:
    return iso(deps.get().clock())


def await_verification(tenant_id: str, dsar_id: str, token: str) -> None:
    deps.get().requests.await_verification(tenant_id, dsar_id, token, _now())


def _key(item: Item) -> str:
    return f"{item['PK']}|{item['SK']}"


def _bystanders(person: Person, mine: set[str]) -> dict[str, Any]:
    """Every item of other people in the partitions the person's data lives in: how many, a digest."""
    table = walk.get().stores.table
    t = person.tenant_id
    partitions = [keys.registration_pk(t, r) for r in person.registration_ids]
    partitions += [keys.event_pk(t, e) for e in person.event_ids]
    digest = hashlib.sha256()
    count = 0
    for pk in partitions:
        for item in table.query_all(Key("PK").eq(pk), consistent=True):
            # The person's own items, found before or written by the request (flags), are not others'.
            if _key(item) not in mine and item.get("participant_id") not in person.participant_ids:
                count += 1
                digest.update(json.dumps(item, sort_keys=True, default=str).encode())
    return {"count": count, "digest": digest.hexdigest()}


def find(tenant_id: str, dsar_id: str) -> dict[str, Any]:
    """Every store of the registry searched for the person; the batches the act step works through."""
    d, w = deps.get(), walk.get()
    request = _request(tenant_id, dsar_id)
    person = w.people.find(tenant_id, request["person_key"], request.get("email"), dsar_id).limited_to(
        request.get("events")
    )
    counts: list[StoreCount] = []
    mine: set[str] = set()
    for target in targets():
        handler = _handler(target)
        found = handler.find(w.stores, person)
        counts.append(
            StoreCount(
                target=target.name,
                rule=handler.rule,
                before=None if found is None else len(found),
                note=handler.note,
            )
        )
        mine.update(_key(i) for i in found or [] if "PK" in i)
    d.requests.update(
        tenant_id,
        dsar_id,
        {
            "participations": [p.as_item() for p in person.participations],
            "stores": [c.model_dump(mode="json") for c in counts],
            "found_keys": sorted(mine),
            "bystanders": _bystanders(person, mine),
            "steps": _steps(request, "find", "done"),
            "updated_at": _now(),
        },
    )
    kind = Kind(request["kind"])
    per_store = [c.target for c in counts if c.before] if kind in EXPORTING or kind is Kind.ERASURE else []
    return {"batches": [*per_store, PERSON]}


def _target(name: str) -> Target:
    for target in targets():
        if target.name == name:
            return target
    raise LookupError(f"no target {name}")


def _prefix(tenant_id: str, dsar_id: str) -> str:
    return f"{tenant_id}/dsar/{dsar_id}/"


def _audit(request: dict[str, Any], person: Person, action: AuditAction, purpose: str) -> None:
    """The request's own access to the person's data, in the audit trail (actor: the DPO)."""
    if not person.participations:
        return
    platform.get().audit.append(
        AuditRecord(
            audit_id=f"aud_{uuid.uuid4().hex}",
            at=deps.get().clock(),
            tenant_id=person.tenant_id,
            actor_id=str(request["requested_by"]),
            actor_role="dpo",
            action=action,
            subject_ids=sorted(person.participant_ids),
            item_types=["participant"],
            fields=[],
            purpose=purpose,
            request_id=str(request["dsar_id"]),
            count=len(person.participations),
        )
    )


def _relist(person: Person) -> None:
    """The catalogue's cards of the person's companies, rebuilt now that the flags hold."""
    from salon.matchmaking.services.indexing import reindex_registration

    for registration_id in person.registration_ids:
        reindex_registration(person.tenant_id, registration_id)


def act(tenant_id: str, dsar_id: str, batch: str) -> dict[str, Any]:
    d, w = deps.get(), walk.get()
    request = _request(tenant_id, dsar_id)
    person = _person(request)
    kind = Kind(request["kind"])
    if batch != PERSON:
        handler = _handler(_target(batch))
        if kind in EXPORTING:
            rows = handler.export(w.stores, person)
            docs, stem = documents(), _prefix(tenant_id, dsar_id) + "stores/" + batch.replace("/", ".")
            docs.put(f"{stem}.json", archive.json_bytes(rows), "application/json")
            docs.put(f"{stem}.csv", archive.csv_bytes(rows), "text/csv")
            return {"batch": batch, "rows": len(rows)}
        found = handler.find(w.stores, person) or []
        return {"batch": batch, "removed": handler.erase(w.stores, person, found)}
    at = _now()
    if kind in EXPORTING:
        _audit(request, person, "dsar.export", f"data-subject {kind.value} request")
    elif kind is Kind.ERASURE:
        d.requests.put_tombstone(tenant_id, request["person_key"], dsar_id, at)
        _audit(request, person, "dsar.erase", "data-subject erasure request")
    elif kind in FLAGGING:
        d.requests.put_flags(tenant_id, kind.value, dsar_id, request.get("participations", []), at)
        _relist(person)
    else:
        from salon.dsar.services.rectification import rectify

        rectify(request, person)
        _audit(request, person, "dsar.rectify", "data-subject rectification request")
    return {"batch": batch}


def check(tenant_id: str, dsar_id: str) -> None:
    """Find again: an erasure leaves nothing where the registry removes data, and no request changes
    other people's items; else the request fails, naming what is wrong."""
    d, w = deps.get(), walk.get()
    request = _request(tenant_id, dsar_id)
    fresh = w.people.find(tenant_id, request["person_key"], request.get("email"), dsar_id).limited_to(
        request.get("events")
    )
    person = _person(request).merged(fresh.participations)
    before = {c["target"]: c for c in request["stores"]}
    counts: list[StoreCount] = []
    for target in targets():
        handler = _handler(target)
        found = handler.find(w.stores, person)
        counts.append(
            StoreCount.model_validate(
                {
                    **before.get(
                        target.name, {"target": target.name, "rule": handler.rule, "note": handler.note}
                    ),
                    "after": None if found is None else len(found),
                }
            )
        )
    problems: list[str] = []
    if Kind(request["kind"]) is Kind.ERASURE:
        problems += [f"{r.target}: {r.count} item(s) left" for r in residue(counts)]
    mine = set(request.get("found_keys", []))
    was, now = request["bystanders"], _bystanders(person, mine)
    if now != was:
        problems.append(f"other people's items changed: {was['count']} before, {now['count']} after")
    d.requests.update(
        tenant_id,
        dsar_id,
        {
            "stores": [c.model_dump(mode="json") for c in counts],
            # The map of act batches has ended when the check starts.
            "steps": {**request["steps"], "act": "done", "check": "failed" if problems else "done"},
            "updated_at": _now(),
        },
    )
    if problems:
        raise OutcomeNotVerified("; ".join(problems))


def _source(target: Target) -> ItemSpec | Store:
    return REGISTRY[target.item_type] if target.item_type else STORES[target.store]


def _archive(request: dict[str, Any], counts: list[StoreCount]) -> str:
    """The per-store documents, with their data dictionary (FIELDS.csv, README.md), in one zip."""
    docs = documents()
    tenant_id, dsar_id = request["tenant_id"], request["dsar_id"]
    prefix = _prefix(tenant_id, dsar_id)
    members = {"stores.json": json.dumps([c.model_dump(mode="json") for c in counts], indent=1).encode()}
    sheets: list[dictionary.Sheet] = []
    for c in counts:
        if c.before:
            stem = c.target.replace("/", ".")
            for ext in ("json", "csv"):
                members[f"{stem}.{ext}"] = docs.body(f"{prefix}stores/{stem}.{ext}")
            fields = dictionary.header(members[f"{stem}.csv"])
            sheets.append(dictionary.Sheet(f"{stem}.csv", fields, _source(_target(c.target))))
    langs = dictionary.languages(request.get("locale") or _person(request).locale)
    members["FIELDS.csv"] = dictionary.fields_csv(sheets, langs)
    members["README.md"] = dictionary.readme(sheets, langs)
    key = f"{prefix}archive.zip"
    docs.put(key, archive.zip_bytes(members), "application/zip")
    return key


def certify(tenant_id: str, dsar_id: str) -> None:
    d = deps.get()
    request = _request(tenant_id, dsar_id)
    counts = [StoreCount.model_validate(c) for c in request["stores"]]
    at = _now()
    values: dict[str, Any] = {}
    if Kind(request["kind"]) in EXPORTING:
        values["export_key"] = _archive(request, counts)
    proof = certificate(request, counts, at)
    docs, prefix = documents(), _prefix(tenant_id, dsar_id)
    docs.put(f"{prefix}certificate.json", json.dumps(proof, indent=1).encode(), "application/json")
    docs.put(f"{prefix}certificate.pdf", certificate_pdf.render(proof), "application/pdf")
    values.update(
        status="completed",
        certificate={**proof, "pdf_key": f"{prefix}certificate.pdf", "json_key": f"{prefix}certificate.json"},
        steps=_steps(request, "certify", "done"),
        completed_at=at,
        updated_at=at,
    )
    d.requests.end(tenant_id, dsar_id, request["person_key"], request["kind"], values)


def fail(tenant_id: str, dsar_id: str, error: str, message: str) -> None:
    """The request ends failed: the step that failed and why, loudly (never a partial success)."""
    d = deps.get()
    request = _request(tenant_id, dsar_id)
    steps = dict(request["steps"])
    failing = next((s for s, state in steps.items() if state != "done"), None)
    if failing is not None:
        steps[failing] = "failed"
    at = _now()
    d.requests.end(
        tenant_id,
        dsar_id,
        request["person_key"],
        request["kind"],
        {
            "status": "failed",
            "failure": f"{error}: {message}",
            "steps": steps,
            "updated_at": at,
            "completed_at": at,
        },
    )
