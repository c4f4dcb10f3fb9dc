"""A participant's next agenda version and its `agenda.changed` event (the diff: added, moved from/to,
cancelled), as the writes of one transaction. Publishing a run and the organiser's and participants'
edits of meetings both write agendas through here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from salon.kernel.domain_events import SCHEDULING_SOURCE, EventDetail
from salon.kernel.dynamo import Put, Update
from salon.kernel.outbox import dedupe_id, event_put
from salon.kernel.values import iso
from salon.scheduling import deps
from salon.scheduling.adapters.agenda_store import entries
from salon.scheduling.domain.agenda import Entry, diff


@dataclass(frozen=True)
class AgendaChange:
    participant_id: str
    version: int
    changes: dict[str, list[dict[str, str]]]
    writes: list[Put | Update]


def agenda_change(
    tenant_id: str,
    event_id: str,
    participant_id: str,
    agenda: dict[str, Any] | None,
    after: list[Entry],
    *,
    origin_id: str,
    run_id: str | None = None,
    actor_id: str | None = None,
) -> AgendaChange | None:
    """The participant's agenda as ``after`` (over the version read, ``agenda``) and its event, or
    None when nothing changes. ``origin_id`` (a run or an edit) makes the write and event unique."""
    d = deps.get()
    changes = diff(entries(agenda), after)
    if not any(changes.values()):
        return None
    version = int(agenda["version"]) + 1 if agenda else 1
    detail = EventDetail(
        tenant_id=tenant_id,
        dedupe_id=dedupe_id(tenant_id, participant_id, f"{origin_id}:agenda"),
        event_id=event_id,
        participant_ids=(participant_id,),
        run_id=run_id,
        actor_id=actor_id,
        version=version,
        changes={kind: tuple(items) for kind, items in changes.items()},
    )
    writes: list[Put | Update] = [
        d.agendas.agenda_put(tenant_id, event_id, origin_id, participant_id, version, after, iso(d.clock())),
        event_put("agenda.changed", detail, d.clock(), source=SCHEDULING_SOURCE),
    ]
    return AgendaChange(participant_id, version, changes, writes)
