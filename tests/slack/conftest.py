"""The Slack end-to-end harness: the real Bolt app mounted in ``build_web_app``, a loopback fake Slack.

``slack`` gives a running server (aiohttp's test server on a loopback port) for the small centre of
``tests/records_fixture`` and Slack users U1 (Alice, a learner), U2 (Tess, her tutor), U3 (someone
not on the roster) and U4 (Mo, the Reading cluster's centre manager). Requests are signed with the
configured signing secret unless a test says otherwise.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer

from adapters.compose import App, build_app
from adapters.server import build_web_app, platform_mounts
from adapters.slack.bolt_app import SLACK, SlackAdapter
from tests.records_fixture import seed
from tests.slack import payloads
from tests.slack.fake_slack import FakeSlack, wait_for

NOW = "2026-11-23T10:00"          # a Monday, in the configured zone (Europe/London)
USERS = {
    "U1": {"email": "Alice@Example.org", "tz": "Europe/London", "name": "Alice Able"},
    "U2": {"email": "tess@example.org", "tz": "Europe/London", "name": "Tess Tutor"},
    "U3": {"email": "nia@example.org", "tz": "Europe/Paris", "name": "Nia New"},
    "U4": {"email": "mo@example.org", "tz": "Europe/London", "name": "Mo Manager"},
    "U5": {"email": "bob@example.org", "tz": "Europe/London", "name": "Bob Baker"},
}


def write_config(folder: Path, fake: FakeSlack, database: str | None = None, **slack: Any) -> Path:
    """An ``app.yaml`` whose Slack Web API is the fake (secrets written in, as a centre's env would), its
    store ``database`` (SQLite file or PostgreSQL URL; default a file beside it)."""
    section = {"enabled": True, "api_url": fake.api_url, "signing_secret": payloads.SECRET,
               "bot_token": "xoxb-test-token", "app_token": None, **slack}
    config = {"timezone": "Europe/London", "storage": {"path": "assessbot.db"}, "knowledge": {"specs_dir": ""},
              "slack": section, "teams": {"enabled": False}}
    if database:
        config["database"] = database
    path = folder / "app.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


class Harness:
    """A running server with Slack mounted, and shortcuts to send it what Slack would."""

    def __init__(self, client: TestClient, fake: FakeSlack, app: App, config: Path):
        self.client = client
        self.fake = fake
        self.app = app
        self.config = config
        self.adapter: SlackAdapter = client.server.app[SLACK]

    async def post(self, body: str, content_type: str = "application/json", **sign: Any) -> ClientResponse:
        return await self.client.post("/slack/events", data=body.encode(),
                                      headers=payloads.signed(body, content_type, **sign))

    async def form(self, body: str, **sign: Any) -> ClientResponse:
        return await self.post(body, "application/x-www-form-urlencoded", **sign)

    async def dm(self, text: str, user: str = "U1") -> dict[str, Any]:
        """Send a DM and wait for the bot's answer in it; the first new post to that DM."""
        before = len(self.fake.posts())
        response = await self.post(payloads.dm(text, user))
        assert response.status == 200
        return await wait_for(lambda: next((p for p in self.fake.posts()[before:] if p["channel"] == f"D{user}"),
                                           None))

    async def until(self, predicate: Callable[[], Any], timeout: float = 5.0) -> Any:
        return await wait_for(predicate, timeout)


@pytest.fixture
def fake() -> Any:
    with FakeSlack({k: dict(v) for k, v in USERS.items()}) as server:
        yield server


@pytest.fixture
def config(tmp_path: Path, fake: FakeSlack, store_target) -> Path:
    return write_config(tmp_path, fake, database=store_target("slack"))


@asynccontextmanager
async def running(config: Path, fake: FakeSlack, seeded: bool = True) -> AsyncIterator[Harness]:
    """Start the server as ``assessbot serve`` would build it (``platform_mounts`` finds Slack)."""
    app = build_app(str(config), None, now=NOW)
    if seeded:
        seed(app.db, app.kb, datetime.fromisoformat(NOW).replace(tzinfo=ZoneInfo("Europe/London")))
    mounts = platform_mounts(app)
    web_app = build_web_app(app, mounts=mounts, tick_seconds=3600)
    try:
        async with TestClient(TestServer(web_app)) as client:
            yield Harness(client, fake, app, config)
    finally:
        app.db.close()


@pytest.fixture
async def slack(config: Path, fake: FakeSlack) -> AsyncIterator[Harness]:
    async with running(config, fake) as harness:
        yield harness
