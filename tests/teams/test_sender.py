"""The Teams Sender: proactive delivery, 403 / 404, backoff with jitter on 429 / 412 / 502 / 504."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from sqlite_utils import Database

from adapters.teams.endpoint import build_adapter
from adapters.teams.references import save_reference
from adapters.teams.retry import Backoff
from adapters.teams.sender import StoreByThread, TeamsSender
from adapters.teams.settings import TeamsSettings
from bot.records.people import person_for_identity
from bot.types import Reply
from tests.teams.fakes import FakeConnector

pytestmark = pytest.mark.engines      # store tests: on SQLite and on PostgreSQL

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
REPLY = Reply("answer", "reminder", paragraphs=["Reminder: email your tutor."])
PERSONAL = r"^/v3/conversations/a%3Apersonal-1/activities"


def remember(db: Database, url: str, identity: str = "teams:aad-alice", conversation: str = "a:personal-1",
             kind: str = "personal") -> None:
    person_for_identity(db, identity, NOW)
    save_reference(db, identity, {
        "activityId": "inc-1", "user": {"id": "29:alice", "aadObjectId": "aad-alice"}, "bot": {"id": "28:bot"},
        "conversation": {"id": conversation, "conversationType": kind}, "channelId": "msteams", "serviceUrl": url},
        NOW, conversation_type=kind, team_id=None, tenant_id="tenant-1")


class Sleeps:
    """Records the waits instead of waiting: the test stays fast and can check the backoff."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def db(store) -> Database:
    return store


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def sender(db: Database, sleeps: Sleeps) -> TeamsSender:
    return TeamsSender(build_adapter(TeamsSettings(True)), "", StoreByThread(db), sleep=sleeps,
                       rng=random.Random(7), clock=lambda: NOW)


def test_sent_to_the_personal_chat(db: Database, sender: TeamsSender, fake: FakeConnector) -> None:
    remember(db, fake.url, conversation="19:group@thread.v2", kind="groupChat")
    remember(db, fake.url)
    delivery = sender.deliver("teams:aad-alice", REPLY, "k1")
    assert (delivery.status, delivery.identity) == ("sent", "teams:aad-alice")
    [sent] = fake.activities()
    assert sent["path"].startswith("/v3/conversations/a%3Apersonal-1/activities/")     # never the group chat
    assert sent["body"]["attachments"][0]["content"]["fallbackText"] == "Reminder: email your tutor."


@pytest.mark.parametrize("status", [429, 412, 502, 504])
def test_throttling_and_gateway_errors_are_retried_with_backoff(db: Database, sender: TeamsSender,
                                                                fake: FakeConnector, sleeps: Sleeps,
                                                                status: int) -> None:
    remember(db, fake.url)
    fake.fail(PERSONAL, [status, status])
    assert sender.deliver("teams:aad-alice", REPLY, "k1").status == "sent"
    assert len(fake.activities()) == 3                     # two failures, then the reminder
    # Equal jitter: each wait between half and all of 1 s, then 2 s.
    assert 0.5 <= sleeps.waits[0] <= 1.0 and 1.0 <= sleeps.waits[1] <= 2.0


def test_at_most_five_attempts_then_the_dispatcher_retries_later(db: Database, sender: TeamsSender,
                                                                 fake: FakeConnector, sleeps: Sleeps) -> None:
    remember(db, fake.url)
    fake.fail(PERSONAL, [502] * 9)
    delivery = sender.deliver("teams:aad-alice", REPLY, "k1")
    assert (delivery.status, delivery.detail) == ("retry", "Teams answered 502")
    assert len(fake.activities()) == 5 and len(sleeps.waits) == 4
    assert sleeps.waits == sorted(sleeps.waits)                      # waits grow: 1, 2, 4, 8 s ceilings
    assert [r["active"] for r in db.query("SELECT active FROM teams_references")] == [1]   # not gone, just busy


def test_retry_after_is_honoured(db: Database, sender: TeamsSender, fake: FakeConnector, sleeps: Sleeps) -> None:
    remember(db, fake.url)
    fake.fail(PERSONAL, [429], retry_after="12")
    assert sender.deliver("teams:aad-alice", REPLY, "k1").status == "sent"
    assert sleeps.waits == [12.0]


def test_jitter_spreads_simultaneous_retries() -> None:
    backoff = Backoff()
    waits = {round(backoff.delay(3, random.Random(seed)), 3) for seed in range(20)}
    assert len(waits) > 10 and all(2.0 <= w <= 4.0 for w in waits)
    assert backoff.delay(10, random.Random(1)) <= backoff.cap


@pytest.mark.parametrize("status", [403, 404])
def test_gone_marks_the_reference_inactive_and_reports_the_identity(db: Database, sender: TeamsSender,
                                                                   fake: FakeConnector, sleeps: Sleeps,
                                                                   status: int) -> None:
    remember(db, fake.url)
    fake.fail(PERSONAL, [status])
    delivery = sender.deliver("teams:aad-alice", REPLY, "k1")
    assert (delivery.status, delivery.identity) == ("permanent", "teams:aad-alice")
    assert len(fake.activities()) == 1 and sleeps.waits == []          # never retried
    [ref] = db.query("SELECT active, inactive_reason FROM teams_references")
    assert (ref["active"], ref["inactive_reason"]) == (0, f"Teams answered {status}")


def test_a_second_personal_chat_is_tried_when_the_first_is_gone(db: Database, sender: TeamsSender,
                                                                fake: FakeConnector) -> None:
    remember(db, fake.url, conversation="a:personal-2")
    remember(db, fake.url)                                    # newer: tried first
    fake.fail(PERSONAL, [404])
    assert sender.deliver("teams:aad-alice", REPLY, "k1").status == "sent"
    assert fake.activities()[-1]["path"].startswith("/v3/conversations/a%3Apersonal-2/")


def test_only_a_channel_reference_opens_a_personal_chat(db: Database, sender: TeamsSender,
                                                        fake: FakeConnector) -> None:
    remember(db, fake.url, conversation="19:general@thread.tacv2;messageid=1", kind="channel")
    assert sender.deliver("teams:aad-alice", REPLY, "k1").status == "sent"
    [create] = [c for c in fake.calls if c["path"] == "/v3/conversations"]
    assert create["body"]["members"] == [{"id": "29:alice"}] and create["body"]["isGroup"] is False
    # Teams reads the tenant from channelData (the schema would send it as "tenantID", which it ignores).
    assert create["body"]["channelData"] == {"tenant": {"id": "tenant-1"}}
    assert fake.activities()[-1]["path"].startswith("/v3/conversations/a%3Apersonal-opened/activities")
    # The new personal chat is remembered: the next reminder goes straight there.
    kinds = {r["conversation_id"]: r["conversation_type"] for r in db.query("SELECT * FROM teams_references")}
    assert kinds == {"19:general@thread.tacv2": "channel", "a:personal-opened": "personal"}
    sender.deliver("teams:aad-alice", REPLY, "k2")
    assert len([c for c in fake.calls if c["path"] == "/v3/conversations"]) == 1


def test_no_conversation_yet_is_permanent(db: Database, sender: TeamsSender) -> None:
    person_for_identity(db, "teams:aad-bob", NOW)
    delivery = sender.deliver("teams:aad-bob", REPLY, "k1")
    assert (delivery.status, delivery.identity) == ("permanent", "teams:aad-bob")


def test_other_server_errors_are_left_to_the_dispatcher(db: Database, sender: TeamsSender, fake: FakeConnector,
                                                       sleeps: Sleeps) -> None:
    # (An unreachable connector also ends as "retry", after msrest's own connection retries, ~5 s.)
    remember(db, fake.url)
    fake.fail(PERSONAL, [500])
    assert sender.deliver("teams:aad-alice", REPLY, "k1").status == "retry"
    assert len(fake.activities()) == 1 and sleeps.waits == []


async def test_deliver_works_from_inside_a_running_event_loop(db: Database, sender: TeamsSender,
                                                              fake: FakeConnector) -> None:
    remember(db, fake.url)
    assert sender.deliver("teams:aad-alice", REPLY, "k1").status == "sent"
