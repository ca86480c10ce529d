"""A reminder set by chat in Teams and delivered proactively by ``assessbot reminders run --config …``."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from adapters.cli import main
from adapters.compose import App
from tests.teams.fakes import FakeConnector
from tests.teams.payloads import message

pytestmark = pytest.mark.engines      # store tests: on SQLite and on PostgreSQL


async def _set_reminder(client: TestClient, fake: FakeConnector) -> None:
    response = await client.post("/api/messages", json=message(
        fake.url, "remind me tomorrow at 10am to email my tutor", activity_id="inc-1"))
    assert response.status == 201
    [confirmation] = fake.activities()
    assert "24 November 2026 at 10:00" in confirmation["body"]["attachments"][0]["content"]["fallbackText"]


async def test_a_reminder_set_by_chat_is_delivered_to_teams(client: TestClient, fake: FakeConnector,
                                                             teams_app: App, config_path: Path, capsys) -> None:
    await _set_reminder(client, fake)
    teams_app.db.close()     # the CLI opens the database from the config, as a separate process would
    capsys.readouterr()
    # RoutingSender picks Teams because the person's only identity is teams:aad-alice.
    assert main(["reminders", "run", "--config", str(config_path), "--now", "2026-11-24T10:05"]) == 0
    out = capsys.readouterr().out
    assert "Sent 1;" in out and "[to " not in out                  # delivered to Teams, not printed
    proactive = fake.activities()[1]
    # Proactive: a new reply under a random continuation id in the stored personal conversation.
    assert proactive["path"].startswith("/v3/conversations/a%3Apersonal-1/activities/")
    assert proactive["path"] != "/v3/conversations/a%3Apersonal-1/activities/inc-1"
    card = proactive["body"]["attachments"][0]["content"]
    assert card["fallbackText"] == "Reminder: email your tutor."
    assert proactive["body"]["summary"] == "Reminder: email your tutor."
    # Exactly once.
    assert main(["reminders", "run", "--config", str(config_path), "--now", "2026-11-24T10:10"]) == 0
    assert "Sent 0;" in capsys.readouterr().out and len(fake.activities()) == 2


async def test_403_marks_the_reference_and_identity_inactive(client: TestClient, fake: FakeConnector,
                                                             teams_app: App, config_path: Path, capsys) -> None:
    await _set_reminder(client, fake)
    teams_app.db.close()
    fake.fail(r"^/v3/conversations/a%3Apersonal-1/activities", [403])     # the person blocked the bot
    capsys.readouterr()
    assert main(["reminders", "run", "--config", str(config_path), "--now", "2026-11-24T10:05"]) == 0
    assert "failed 1." in capsys.readouterr().out
    assert len(fake.activities()) == 2                                  # one attempt: 403 is never retried
    from bot.config import load_config
    from bot.store import open_store

    db = open_store(load_config(config_path).database)
    [ref] = db.query("SELECT active, inactive_reason FROM teams_references")
    assert (ref["active"], ref["inactive_reason"]) == (0, "Teams answered 403")
    [identity] = db.query("SELECT active FROM identities WHERE id = 'teams:aad-alice'")
    assert identity["active"] == 0             # the router now falls back to the person's other platforms
    [occurrence] = db.query("SELECT status, attempts FROM reminder_occurrences")
    assert (occurrence["status"], occurrence["attempts"]) == ("failed", 1)
    db.close()


async def test_serve_delivers_from_its_dispatcher_thread(teams_app: App, config_path: Path,
                                                         fake: FakeConnector) -> None:
    """``assessbot serve``: the tick runs in a worker thread with its own connection; so does the sender."""
    from datetime import datetime

    from aiohttp.test_utils import TestServer

    import adapters.teams
    from adapters.senders import RoutingSender, platform_senders
    from adapters.server import TICK, build_web_app
    from tests.teams.conftest import LONDON

    senders = platform_senders(teams_app)
    web_app = build_web_app(teams_app,
                            sender_factory=lambda db: RoutingSender(db, senders),
                            clock=lambda: datetime(2026, 11, 24, 10, 5, tzinfo=LONDON), tick_seconds=3600,
                            mounts=(adapters.teams.mount,))
    async with TestClient(TestServer(web_app)) as client:
        await _set_reminder(client, fake)
        report = await web_app[TICK]()
    assert (report.sent, report.failed) == (1, 0)
    assert fake.activities()[1]["body"]["summary"] == "Reminder: email your tutor."
