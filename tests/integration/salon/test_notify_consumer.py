"""The notify consumer against the local cloud: domain events put on its queue (as its rule does)
become e-mails and SMS sent through moto's SES v2 and SNS and captured in the outbox; a redelivery
sends nothing twice; a suppressed number gets nothing and the delivery log says why."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from boto3.dynamodb.conditions import Key
from localcloud.scheduler_clock import Fired, fire_due
from salon.dsar.adapters.requests_store import RequestsStore
from salon.kernel import keys
from salon.kernel.consumer import DomainEvent
from salon.kernel.dynamo import Table
from salon.kernel.person_key import person_key
from salon.notify.adapters.deliveries import SCOPE_ALL, DeliveryLog, Suppressions
from salon.notify.adapters.email_sender import Envelope, mailer
from salon.notify.adapters.failures import SendFailed
from salon.notify.adapters.mailing_queue import RecipientQueue
from salon.notify.adapters.mailings import Mailings
from salon.notify.adapters.mobiles import Mobiles
from salon.notify.domain.reminder_plan import CLOSE_NAME
from salon.notify.domain.reminders import group_name
from salon.notify.services import dispatch
from salon.registration.adapters.events_repo import EventsRepository
from salon.registration.adapters.submissions_repo import SubmissionsRepository
from salon.registration.domain.events import Event, EventCreate
from salon.scheduling.adapters.agenda_store import AgendaStore
from salon.scheduling.domain.agenda import Entry

pytestmark = pytest.mark.integration

MOBILE = "+33612345678"


def wait_for(check: Callable[[], bool], timeout: float = 45.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the notify consumer did not get there in time"
        time.sleep(0.1)


@pytest.fixture
def world(cloud: Any) -> dict[str, Any]:
    table = Table(cloud.resources.table_name)
    tenant_id, now = f"ntf-{uuid.uuid4().hex[:8]}", datetime.now(UTC)
    body = EventCreate.model_validate(
        {
            "name": {"fr": "Rencontres", "en": "Meetings"},
            "time_zone": "Europe/Paris",
            "starts_at": now + timedelta(hours=1),
            "ends_at": now + timedelta(days=1),
            "key_dates": {"sms_activation_at": now - timedelta(hours=1)},
        }
    )
    event = Event(
        event_id=f"evt_{uuid.uuid4().hex}",
        tenant_id=tenant_id,
        created_at=now,
        updated_at=now,
        **body.model_dump(),
    )
    EventsRepository(table).create_event(event)
    rid, pid = f"reg_{uuid.uuid4().hex}", f"par_{uuid.uuid4().hex}"
    email = f"ada-{uuid.uuid4().hex[:8]}@company.example"
    person = {"participant_id": pid, "registration_id": rid, "event_id": event.event_id, "position": 0}
    person |= {"first_name": "Ada", "last_name": "L", "email": email, "locale": "fr"}
    registration = {
        "registration_id": rid,
        "event_id": event.event_id,
        "type": "buyer",
        "state": "validated",
        "company_name": "Cartons Dupont",
        "locale": "fr",
        "participant_ids": [pid],
        "created_at": now.isoformat(),
    }
    SubmissionsRepository(table).create(tenant_id, registration, [person])
    number = f"+3361{uuid.uuid4().int % 10**7:07d}"
    mobiles = Mobiles(table)
    mobiles.start(tenant_id, pid, event.event_id, number, "unused", now)
    mobiles.verified(tenant_id, pid, now)
    return {
        "cloud": cloud,
        "table": table,
        "tenant_id": tenant_id,
        "event": event,
        "pid": pid,
        "email": email,
        "number": number,
    }


def agenda_changed(world: dict[str, Any], version: int = 2) -> dict[str, Any]:
    detail = {
        "tenant_id": world["tenant_id"],
        "dedupe_id": uuid.uuid4().hex,
        "event_id": world["event"].event_id,
        "participant_ids": [world["pid"]],
        "run_id": "run_1",
        "version": version,
        "changes": {
            "added": [],
            "moved": [
                {
                    "meeting_id": f"mtg_{uuid.uuid4().hex}",
                    "from_starts_at": "2027-03-12T09:00:00+00:00",
                    "from_table": "T2",
                    "to_starts_at": "2027-03-12T10:00:00+00:00",
                    "to_ends_at": "2027-03-12T10:30:00+00:00",
                    "to_table": "T3",
                }
            ],
            "cancelled": [],
        },
    }
    return {
        "id": uuid.uuid4().hex,
        "detail-type": "agenda.changed",
        "source": "salon.scheduling",
        "time": datetime.now(UTC).isoformat(),
        "detail": detail,
    }


def put_on_queue(world: dict[str, Any], message: dict[str, Any]) -> None:
    cloud = world["cloud"]
    sqs = cloud.client("sqs")
    url = sqs.get_queue_url(QueueName=cloud.resources.physical_ids["NotifyQueue"].rsplit("/", 1)[-1])
    sqs.send_message(QueueUrl=url["QueueUrl"], MessageBody=json.dumps(message))


def sent_to(world: dict[str, Any], address: str) -> list[Any]:
    return [c for c in world["cloud"].captured() if c.to == address]


def test_an_agenda_move_after_activation_sends_one_email_and_one_sms_even_when_redelivered(
    world: dict[str, Any],
) -> None:
    message = agenda_changed(world)
    put_on_queue(world, message)
    put_on_queue(world, message)  # at least once: the same event again

    wait_for(lambda: len(sent_to(world, world["number"])) >= 1 and len(sent_to(world, world["email"])) >= 1)
    assert dispatch.deliver_all(
        world["tenant_id"],
        world["event"],
        dispatch.messages_for(DomainEvent.model_validate(message), world["event"])[1:2],
    ) == {"duplicate": 1}  # the message key is claimed: a redelivery past the consumer's dedupe sends nothing
    time.sleep(1.0)
    [sms] = sent_to(world, world["number"])
    [mail] = sent_to(world, world["email"])
    record = json.loads(sms.path.read_text(encoding="utf-8"))
    assert sms.kind == "meeting_moved" and mail.kind == "agenda_changed"
    assert (
        "Rencontres" in record["message"] and "12/03 11:00" in record["message"] and "T3" in record["message"]
    )
    log = DeliveryLog(world["table"]).of_participant(world["tenant_id"], world["pid"])
    assert sorted((i["channel"], i["kind"], i["status"]) for i in log) == [
        ("email", "agenda_changed", "sent"),
        ("sms", "meeting_moved", "sent"),
    ]
    assert all("email" not in i and "number" not in i for i in log)  # no address in the log


def test_a_suppressed_number_gets_no_sms_and_the_log_says_why(world: dict[str, Any]) -> None:
    key = person_key(world["tenant_id"], world["number"])
    Suppressions(world["table"]).add(world["tenant_id"], "sms", key, SCOPE_ALL, "stop", datetime.now(UTC))

    put_on_queue(world, agenda_changed(world))

    wait_for(lambda: len(sent_to(world, world["email"])) >= 1)
    log = DeliveryLog(world["table"]).of_participant(world["tenant_id"], world["pid"])
    wait_for(lambda: len(DeliveryLog(world["table"]).of_participant(world["tenant_id"], world["pid"])) == 2)
    log = DeliveryLog(world["table"]).of_participant(world["tenant_id"], world["pid"])
    assert {(i["channel"], i["status"], i.get("reason")) for i in log} == {
        ("email", "sent", None),
        ("sms", "suppressed", "all"),
    }
    assert sent_to(world, world["number"]) == []


def registration_event(world: dict[str, Any], detail_type: str) -> dict[str, Any]:
    rid = Table(world["cloud"].resources.table_name).query_all(
        Key("GSI2PK").eq(keys.participant_index(world["tenant_id"], world["pid"])), index="GSI2"
    )[0]["registration_id"]
    detail = {
        "tenant_id": world["tenant_id"],
        "dedupe_id": uuid.uuid4().hex,
        "event_id": world["event"].event_id,
        "registration_id": rid,
        "participant_ids": [world["pid"]],
    }
    return {
        "id": uuid.uuid4().hex,
        "detail-type": detail_type,
        "source": "salon.register",
        "time": datetime.now(UTC).isoformat(),
        "detail": detail,
    }


def test_a_hard_bounce_suppresses_the_address_for_good(world: dict[str, Any]) -> None:
    put_on_queue(world, registration_event(world, "registration.validated"))
    wait_for(lambda: len(sent_to(world, world["email"])) == 1)
    log = DeliveryLog(world["table"])
    [sent] = log.of_participant(world["tenant_id"], world["pid"])
    bounce = {  # what SES publishes to the configuration set's SNS destination
        "eventType": "Bounce",
        "bounce": {"bounceType": "Permanent", "bouncedRecipients": [{"emailAddress": world["email"]}]},
        "mail": {
            "messageId": sent["provider_message_id"],
            "destination": [world["email"]],
            "tags": {
                "tenant_id": [world["tenant_id"]],
                "participant_id": [world["pid"]],
                "message_key": [sent["message_key"]],
            },
        },
    }
    sns = world["cloud"].client("sns")
    sns.publish(
        TopicArn=world["cloud"].resources.physical_ids["EmailFeedbackTopic"], Message=json.dumps(bounce)
    )
    wait_for(lambda: log.of_participant(world["tenant_id"], world["pid"])[0]["status"] == "bounced")

    put_on_queue(world, registration_event(world, "registration.refused"))

    wait_for(lambda: len(log.of_participant(world["tenant_id"], world["pid"])) == 2)
    statuses = {
        (i["kind"], i["status"], i.get("reason"))
        for i in log.of_participant(world["tenant_id"], world["pid"])
    }
    assert statuses == {
        ("registration_validated", "bounced", "bounce:Permanent"),
        ("registration_refused", "suppressed", "all"),
    }
    assert len(sent_to(world, world["email"])) == 1


def meeting_on_agenda(world: dict[str, Any], starts_at: datetime, version: int = 1) -> dict[str, Any]:
    """The participant's agenda holds one meeting at ``starts_at``; the agenda.changed event saying so."""
    mid = f"mtg_{uuid.uuid4().hex}"
    entry = Entry(mid, starts_at.isoformat(), (starts_at + timedelta(minutes=30)).isoformat(), "T7")
    return store_agenda(world, [entry], version, {"added": [entry.as_item()], "moved": [], "cancelled": []})


def store_agenda(
    world: dict[str, Any], entries: list[Entry], version: int, changes: dict[str, Any]
) -> dict[str, Any]:
    t, eid, pid = world["tenant_id"], world["event"].event_id, world["pid"]
    put = AgendaStore.agenda_put(
        t, eid, f"run_{version}", pid, version, entries, datetime.now(UTC).isoformat()
    )
    world["table"].transact([put])
    message = agenda_changed(world, version)
    message["detail"]["changes"] = changes
    return message


def fire_mine(world: dict[str, Any], now: datetime) -> list[Fired]:
    """Fire what is due at ``now`` (every test's schedules: the cloud is shared); keep this world's."""
    group = group_name(world["tenant_id"], world["event"].event_id)
    return [f for f in fire_due(world["cloud"], now) if f.group == group]


def group_schedules(world: dict[str, Any]) -> list[dict[str, Any]]:
    scheduler = world["cloud"].client("scheduler")
    group = group_name(world["tenant_id"], world["event"].event_id)
    try:
        return list(scheduler.list_schedules(GroupName=group)["Schedules"])
    except scheduler.exceptions.ResourceNotFoundException:
        return []


def test_a_meeting_reminder_is_scheduled_fires_once_as_one_sms_and_not_when_cancelled(
    world: dict[str, Any],
) -> None:
    starts = (datetime.now(UTC) + timedelta(hours=2)).replace(microsecond=0)
    added = meeting_on_agenda(world, starts)
    put_on_queue(world, added)
    wait_for(lambda: len(group_schedules(world)) == 1)  # the consumer planned it in the event's group
    lambdas = world["cloud"].client("lambda")
    reminder_arn = world["cloud"].resources.physical_ids["ReminderFunction"]

    fired = fire_mine(world, starts - timedelta(minutes=16))
    assert fired == []  # not yet due
    fired = fire_mine(world, starts)
    assert [(f.input["kind"], f.result) for f in fired] == [("meeting_soon", {"sent": 1})]
    [sms] = [c for c in sent_to(world, world["number"]) if c.kind == "reminder_meeting_soon"]
    assert "T7" in json.loads(sms.path.read_text(encoding="utf-8"))["message"]
    assert group_schedules(world) == []  # a one-time schedule goes once fired
    again = lambdas.invoke(FunctionName=reminder_arn, Payload=json.dumps(fired[0].input).encode())
    assert json.loads(again["Payload"].read()) == {"sent": 0}  # a double fire sends once

    later = starts + timedelta(hours=1)
    second = meeting_on_agenda(world, later, version=2)  # the agenda now holds only this meeting
    put_on_queue(world, second)
    wait_for(lambda: len(group_schedules(world)) == 1)
    store_agenda(world, [], 3, {"added": [], "moved": [], "cancelled": second["detail"]["changes"]["added"]})
    # the cancellation's event not handled yet: its schedule still fires, and finds no meeting
    assert [f.result for f in fire_mine(world, later)] == [{"sent": 0}]
    assert len([c for c in sent_to(world, world["number"]) if c.kind == "reminder_meeting_soon"]) == 1


def test_a_moved_meeting_moves_its_schedule(world: dict[str, Any]) -> None:
    starts = (datetime.now(UTC) + timedelta(hours=2)).replace(microsecond=0)
    put_on_queue(world, meeting_on_agenda(world, starts))
    wait_for(lambda: len(group_schedules(world)) == 1)
    [planned] = group_schedules(world)
    scheduler = world["cloud"].client("scheduler")
    group = group_name(world["tenant_id"], world["event"].event_id)
    before = scheduler.get_schedule(Name=planned["Name"], GroupName=group)["ScheduleExpression"]
    mid = json.loads(scheduler.get_schedule(Name=planned["Name"], GroupName=group)["Target"]["Input"])[
        "meeting_id"
    ]
    later = starts + timedelta(hours=1)
    entry = Entry(mid, later.isoformat(), (later + timedelta(minutes=30)).isoformat(), "T8")
    moved = {
        "meeting_id": mid,
        "from_starts_at": starts.isoformat(),
        "from_table": "T7",
        "to_starts_at": later.isoformat(),
        "to_ends_at": entry.ends_at,
        "to_table": "T8",
    }
    put_on_queue(world, store_agenda(world, [entry], 2, {"added": [], "moved": [moved], "cancelled": []}))

    def moved_schedule() -> bool:
        return scheduler.get_schedule(Name=planned["Name"], GroupName=group)["ScheduleExpression"] != before

    wait_for(moved_schedule)
    assert fire_mine(world, starts) == []  # the old time fires nothing
    assert [f.result for f in fire_mine(world, later)] == [{"sent": 1}]


def test_a_validation_plans_the_event_reminders_and_the_event_end_closes_the_group(
    world: dict[str, Any],
) -> None:
    put_on_queue(world, registration_event(world, "registration.validated"))
    # the day-before reminder is already past (the event starts within the hour): only the close
    wait_for(lambda: [s["Name"] for s in group_schedules(world)] == [CLOSE_NAME])

    fired = fire_mine(world, world["event"].ends_at)

    assert [f.input["kind"] for f in fired] == ["event_ended"]
    scheduler = world["cloud"].client("scheduler")
    names = [g["Name"] for g in scheduler.list_schedule_groups()["ScheduleGroups"]]
    assert group_name(world["tenant_id"], world["event"].event_id) not in names


def event_changed(world: dict[str, Any], version: int) -> dict[str, Any]:
    detail = {
        "tenant_id": world["tenant_id"],
        "dedupe_id": uuid.uuid4().hex,
        "event_id": world["event"].event_id,
        "version": version,
    }
    return {
        "id": uuid.uuid4().hex,
        "detail-type": "event.changed",
        "source": "salon.register",
        "time": datetime.now(UTC).isoformat(),
        "detail": detail,
    }


def test_new_event_dates_move_its_reminders_and_the_old_times_send_nothing(world: dict[str, Any]) -> None:
    put_on_queue(world, registration_event(world, "registration.validated"))
    wait_for(lambda: [s["Name"] for s in group_schedules(world)] == [CLOSE_NAME])  # the day before: past
    old: Event = world["event"]
    later = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
    moved = old.model_copy(
        update={"starts_at": later, "ends_at": later + timedelta(days=1), "version": old.version + 1}
    )
    EventsRepository(world["table"]).save_event(moved, expected_version=old.version)
    put_on_queue(world, event_changed(world, moved.version))

    scheduler = world["cloud"].client("scheduler")
    group = group_name(world["tenant_id"], old.event_id)

    def expressions() -> dict[str, str]:
        return {
            s["Name"]: scheduler.get_schedule(Name=s["Name"], GroupName=group)["ScheduleExpression"]
            for s in group_schedules(world)
        }

    wait_for(lambda: len(expressions()) == 2)
    planned = expressions()
    assert planned[CLOSE_NAME] == f"at({(later + timedelta(days=1)).strftime('%Y-%m-%dT%H:%M:%S')})"
    [agenda_tomorrow] = [n for n in planned if n.startswith("agenda_tomorrow-")]
    assert planned[agenda_tomorrow] == f"at({(later - timedelta(days=1)).strftime('%Y-%m-%dT%H:%M:%S')})"

    assert handle_now(world, [event_changed(world, moved.version)]) == {"batchItemFailures": []}
    assert expressions() == planned  # planning again changes nothing
    assert fire_mine(world, old.ends_at) == []  # the old end is no longer planned
    fired = fire_mine(world, later - timedelta(days=1))
    assert [(f.input["kind"], f.result) for f in fired] == [("agenda_tomorrow", {"sent": 1})]
    assert [c.kind for c in sent_to(world, world["email"])].count("reminder_agenda_tomorrow") == 1
    assert [s["Name"] for s in group_schedules(world)] == [CLOSE_NAME]


def test_new_dates_plan_nothing_for_an_event_whose_reminders_were_never_planned(
    world: dict[str, Any],
) -> None:
    assert handle_now(world, [event_changed(world, 2)]) == {"batchItemFailures": []}

    assert group_schedules(world) == []


def handle_now(world: dict[str, Any], messages: list[dict[str, Any]]) -> dict[str, Any]:
    """The notify function handed these messages as one SQS batch, synchronously (Lambda Invoke)."""
    cloud = world["cloud"]
    records = [
        {
            "messageId": f"msg-{n}",
            "receiptHandle": "test",
            "body": json.dumps(m),
            "eventSource": "aws:sqs",
            "attributes": {},
            "messageAttributes": {},
        }
        for n, m in enumerate(messages)
    ]
    response = cloud.client("lambda").invoke(
        FunctionName=cloud.resources.function_name("NotifyFunction"),
        Payload=json.dumps({"Records": records}).encode(),
    )
    result: dict[str, Any] = json.loads(response["Payload"].read())
    return result


@dataclass
class Mailing:
    mailing_id: str
    registration_id: str
    pids: list[str]
    emails: list[str]
    people: list[dict[str, Any]]
    store: Mailings

    def message(self, world: dict[str, Any], n: int) -> dict[str, Any]:
        """The queued message to recipient ``n``, as the notify API writes it."""
        detail = {"tenant_id": world["tenant_id"], "dedupe_id": f"{self.mailing_id}:{self.pids[n]}"}
        detail |= {"event_id": world["event"].event_id, "registration_id": self.registration_id}
        detail |= {"participant_ids": [self.pids[n]], "mailing_id": self.mailing_id}
        return {
            "id": uuid.uuid4().hex,
            "detail-type": "mailing.recipient",
            "source": "salon.notify",
            "time": datetime.now(UTC).isoformat(),
            "detail": detail,
        }

    def counts(self, world: dict[str, Any]) -> tuple[int, int]:
        item = self.store.get(world["tenant_id"], self.mailing_id) or {}
        return int(item["sent"]), int(item["suppressed"])


def a_mailing(world: dict[str, Any], recipients: int) -> Mailing:
    """A company of ``recipients`` people in the event, and a mailing to them being sent."""
    t, event, table = world["tenant_id"], world["event"], world["table"]
    rid, now = f"reg_{uuid.uuid4().hex}", datetime.now(UTC)
    pids = [f"par_{uuid.uuid4().hex}" for _ in range(recipients)]
    emails = [f"m{n}-{uuid.uuid4().hex[:8]}@company.example" for n in range(recipients)]
    people = [
        {"participant_id": pid, "registration_id": rid, "event_id": event.event_id, "position": n}
        | {"first_name": f"P{n}", "last_name": "L", "email": emails[n], "locale": "en"}
        for n, pid in enumerate(pids)
    ]
    sheet = {"registration_id": rid, "event_id": event.event_id, "type": "buyer", "state": "validated"}
    sheet |= {"company_name": "Boxes", "participant_ids": pids, "created_at": now.isoformat()}
    SubmissionsRepository(table).create(t, sheet, people)
    mailing_id = f"ml_{uuid.uuid4().hex}"
    texts = {
        "subject": {"fr": "Infos", "en": "News"},
        "body": {"fr": "Bonjour", "en": "Hello {{ first_name }}"},
    }
    store = Mailings(table)
    store.create(t, {"mailing_id": mailing_id, "event_id": event.event_id, **texts}, event.ends_at, now)
    store.started(t, mailing_id, recipients, now)
    return Mailing(mailing_id, rid, pids, emails, people, store)


def mailed(world: dict[str, Any], address: str) -> int:
    return len([c for c in sent_to(world, address) if c.kind == "mailing"])


def test_a_mailing_batch_sends_each_recipient_once_and_skips_the_suppressed_and_the_restricted(
    world: dict[str, Any],
) -> None:
    t, table, now = world["tenant_id"], world["table"], datetime.now(UTC)
    m = a_mailing(world, 4)
    pids, emails = m.pids, m.emails
    Suppressions(table).add(t, "email", person_key(t, emails[1]), "marketing", "unsubscribe", now, pids[1])
    RequestsStore(table).put_flags(t, "objection", "dsar_1", [m.people[2]], now.isoformat())

    queue = RecipientQueue(queue_url(world))  # as the notify API queues them
    queue.enqueue(t, world["event"].event_id, m.mailing_id, [(p, m.registration_id) for p in pids], now)
    wait_for(lambda: m.counts(world) == (2, 1))
    again = m.message(world, 0)
    assert handle_now(world, [again, again]) == {"batchItemFailures": []}  # redelivered, twice in a batch

    assert m.counts(world) == (2, 1)
    assert [mailed(world, e) for e in emails] == [1, 0, 0, 1]
    statuses = [[i["status"] for i in DeliveryLog(table).of_participant(t, pid)] for pid in pids]
    assert statuses == [["sent"], ["suppressed"], [], ["sent"]]


def queue_url(world: dict[str, Any]) -> str:
    cloud = world["cloud"]
    name = cloud.resources.physical_ids["NotifyQueue"].rsplit("/", 1)[-1]
    return str(cloud.client("sqs").get_queue_url(QueueName=name)["QueueUrl"])


class FailingOnce:
    """SES refusing the first message to one address (a fault the local cloud cannot produce)."""

    def __init__(self, real: Any, address: str) -> None:
        self.real, self.address, self.failed = real, address, False

    def send(self, envelope: Envelope, rendered: Any, tags: dict[str, str]) -> str:
        if envelope.to == self.address and not self.failed:
            self.failed = True
            raise SendFailed("SES did not accept the message")
        return str(self.real.send(envelope, rendered, tags))


def test_a_send_that_fails_fails_its_own_message_only_and_its_retry_sends_it_once(
    world: dict[str, Any],
) -> None:
    m = a_mailing(world, 3)
    mailer.override(FailingOnce(mailer.get(), m.emails[1]))
    try:
        first = handle_now(world, [m.message(world, n) for n in range(3)])
        assert first == {"batchItemFailures": [{"itemIdentifier": "msg-1"}]}
        assert m.counts(world) == (2, 0)
        assert DeliveryLog(world["table"]).of_participant(world["tenant_id"], m.pids[1]) == []  # released

        retry = handle_now(world, [m.message(world, n) for n in range(3)])  # the batch, redelivered
    finally:
        mailer.override(None)

    assert retry == {"batchItemFailures": []}
    assert m.counts(world) == (3, 0)
    assert [mailed(world, e) for e in m.emails] == [1, 1, 1]
