"""Two ``assessbot serve`` processes on one PostgreSQL store, as a centre group would run them behind a
load balancer: every Slack event answered once (Slack's retries reach the other process too), every
reminder delivered once by whichever dispatcher claims it, and ``kill -9`` of one in the middle of a sweep
loses none of what it had not yet tried and sends nothing twice.

Real processes, a real PostgreSQL (``tests/pg_server.py``), the fake Slack Web API on loopback.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from bot.reminders.hours import Prefs, save_prefs
from bot.reminders.rules import create_rule
from bot.store import open_store
from tests.records_fixture import seed
from tests.slack import payloads
from tests.slack.conftest import USERS
from tests.slack.fake_slack import FakeSlack

LEASE_SECONDS = 2.0
SERVE = ("import os, sys\n"
         "if os.environ.get('ASSESSBOT_TEST_NOW'):\n"
         "    from datetime import datetime\n"
         "    import time_machine\n"
         "    time_machine.travel(datetime.fromisoformat(os.environ['ASSESSBOT_TEST_NOW']), tick=True).start()\n"
         "from adapters.cli import main\n"
         "sys.exit(main())")
LEARNERS = {"U1": "console:alice", "U5": "console:bob", "U6": "console:carol"}


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _until(predicate: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class Serve:
    """``assessbot serve --port N`` in its own process."""

    def __init__(self, config: Path, log: Path):
        self.port = _free_port()
        self.log = log.open("w")
        env = dict(os.environ)
        if env.get("ASSESSBOT_TEST_NOW"):
            # The suite's clock is moved (tests/conftest.py): the servers' clocks move with it, to now.
            env["ASSESSBOT_TEST_NOW"] = datetime.now(UTC).isoformat()
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVE, "serve", "--config", str(config), "--port", str(self.port)],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=Path(__file__).resolve().parents[1], env=env)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def health(self) -> dict[str, Any] | None:
        try:
            with urllib.request.urlopen(self.url("/healthz"), timeout=2) as response:
                return json.loads(response.read())
        except OSError:
            return None

    def post_event(self, body: str, retry: int | None = None) -> int:
        request = urllib.request.Request(self.url("/slack/events"), data=body.encode(), method="POST",
                                         headers=payloads.signed(body, retry=retry))
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


@pytest.fixture
def store_url(pg_databases) -> Iterator[str]:
    name = pg_databases.take()
    yield pg_databases.server.url(name)
    pg_databases.give_back(name)


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    users = dict(USERS) | {"U5": {"email": "bob@example.org", "tz": "Europe/London", "name": "Bob Baker"},
                           "U6": {"email": "carol@example.org", "tz": "Europe/London", "name": "Carol Cole"}}
    with FakeSlack(users) as server:
        yield server


@pytest.fixture
def two_processes(tmp_path: Path, store_url: str, fake: FakeSlack, kb) -> Iterator[tuple[Serve, Serve]]:
    now = datetime.now(UTC)
    db = open_store(store_url)
    seed(db, kb, now)
    local = now.astimezone(ZoneInfo("Europe/London"))
    for user, person in LEARNERS.items():      # Slack identities known already: reminders go to Slack
        db["identities"].insert({"id": f"slack:{user}", "person_id": person, "platform": "slack", "active": 1,
                                 "created_at": now.isoformat()})
        # Quiet hours hours away, whenever the test runs: reminders due now are sent now.
        save_prefs(db, person, Prefs(quiet_start=(local + timedelta(hours=6)).time().replace(second=0, microsecond=0),
                                     quiet_end=(local + timedelta(hours=7)).time().replace(second=0, microsecond=0)))
    db.close()
    config = tmp_path / "app.yaml"
    config.write_text(yaml.safe_dump({
        "timezone": "Europe/London", "database": store_url, "knowledge": {"specs_dir": ""},
        "reminders": {"tick_seconds": 0.5, "lease_seconds": LEASE_SECONDS},
        "slack": {"enabled": True, "api_url": fake.api_url, "signing_secret": payloads.SECRET,
                  "bot_token": "xoxb-test-token", "app_token": None},
        "teams": {"enabled": False}}), encoding="utf-8")
    processes = (Serve(config, tmp_path / "a.log"), Serve(config, tmp_path / "b.log"))
    try:
        for p in processes:
            _until(p.health, 60, f"serve on port {p.port}")
        yield processes
    finally:
        for p in processes:
            p.stop()


def _reminders(url: str, label: str, n: int) -> None:
    db = open_store(url)
    now = datetime.now(UTC)
    at = (now - timedelta(minutes=1)).astimezone(ZoneInfo("Europe/London")).strftime("%Y-%m-%dT%H:%M")
    people = list(LEARNERS.values())
    for i in range(n):
        # Urgent: sent at once whatever the hour this test runs at.
        create_rule(db, "console:tess", "person", people[i % len(people)], {"type": "once", "at": at},
                    f"{label} {i}", now - timedelta(minutes=5), urgent=True)
    db.close()


def _posted(fake: FakeSlack, label: str) -> Counter[str]:
    return Counter(p["text"] for p in fake.posts() if str(p.get("text", "")).startswith(label + " "))


def _statuses(url: str, label: str) -> Counter[str]:
    db = open_store(url)
    try:
        return Counter(r["status"] for r in db.query("SELECT status FROM reminder_occurrences WHERE text LIKE ?",
                                                     [f"{label} %"]))
    finally:
        db.close()


def test_two_processes_answer_each_event_once_and_deliver_each_reminder_once(two_processes, fake, store_url):
    a, b = two_processes
    assert a.health()["store"] == b.health()["store"] and a.health()["store"]["engine"] == "postgresql"
    # Slack delivers each event to one process and, thinking it lost, retries it — here to the other.
    events = [payloads.dm(f"what does 8391-501 AC2.{1 + n % 3} need?", user="U1", event_id=f"EvScale{n}")
              for n in range(12)]
    for n, body in enumerate(events):
        first, second = (a, b) if n % 2 else (b, a)
        assert first.post_event(body) == 200
        assert second.post_event(body, retry=1) == 200
        assert first.post_event(body, retry=2) == 200
    answers = _until(lambda: len([p for p in fake.posts() if "AC2." in str(p.get("text", ""))]) >= 12 and
                     [p for p in fake.posts() if "AC2." in str(p.get("text", ""))], 30, "the answers")
    time.sleep(1.0)                                          # any duplicate would have arrived by now
    answers = [p for p in fake.posts() if "AC2." in str(p.get("text", ""))]
    assert len(answers) == 12

    _reminders(store_url, "note", 90)
    _until(lambda: _statuses(store_url, "note").get("sent") == 90, 30, "every note sent")
    assert _posted(fake, "note") == Counter({f"note {i}": 1 for i in range(90)})
    # Both dispatchers ran; neither sent what the other had claimed.
    db = open_store(store_url)
    workers = {r["claimed_by"] for r in db.query("SELECT DISTINCT claimed_by FROM reminder_occurrences "
                                                 "WHERE claimed_by IS NOT NULL")}
    db.close()
    assert workers and all(w.startswith("serve:") for w in workers)


def test_a_process_killed_mid_sweep_loses_nothing_untried_and_sends_nothing_twice(two_processes, fake, store_url):
    a, b = two_processes
    fake.post_delay = 0.03                                   # a slow Slack: the sweep takes seconds
    _reminders(store_url, "late", 100)
    # Whichever process claims the batch first is killed once it has delivered some of it.
    _until(lambda: sum(_posted(fake, "late").values()) >= 15, 30, "the first deliveries")
    db = open_store(store_url)
    owner = next(r["claimed_by"] for r in db.query(
        "SELECT claimed_by, count(*) AS n FROM reminder_occurrences WHERE text LIKE 'late %' AND status IN "
        "('sending') GROUP BY claimed_by ORDER BY n DESC"))
    db.close()
    victim, survivor = (a, b) if owner.endswith(f":{a.process.pid}") else (b, a)
    assert owner.endswith(f":{victim.process.pid}")
    victim.kill()
    fake.post_delay = 0.0
    # After the lease the survivor delivers everything the dead process had not tried.
    _until(lambda: not {"pending", "sending"} & set(_statuses(store_url, "late")), 30,
           "the survivor to finish")
    posted, statuses = _posted(fake, "late"), _statuses(store_url, "late")
    assert max(posted.values()) == 1                         # none twice
    assert set(statuses) <= {"sent", "interrupted"} and statuses["sent"] + statuses["interrupted"] == 100
    # "interrupted": begun by the dead process — delivered but not yet recorded, or the one in flight.
    assert len(posted) >= 99 and statuses["interrupted"] <= 50
    assert survivor.health()["ok"]
    assert os.path.exists(survivor.log.name)
