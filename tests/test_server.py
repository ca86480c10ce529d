"""``assessbot serve``: health check, and the dispatcher job sends what is due (the tick driven by hand)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.compose import build_app
from adapters.server import SCHEDULER, TICK, build_web_app
from bot.reminders.dispatch import ConsoleSender
from bot.store import migrations
from tests.records_fixture import seed

pytestmark = pytest.mark.engines


async def test_health_and_a_dispatch_tick(store_target) -> None:
    app = build_app(None, store_target("serve"))
    now = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
    seed(app.db, app.kb, now)
    sender = ConsoleSender()
    web_app = build_web_app(app, sender_factory=lambda db: sender, clock=lambda: now, tick_seconds=3600)
    async with TestClient(TestServer(web_app)) as client:
        response = await client.get("/healthz")
        health = await response.json()
        assert response.status == 200 and health["kb_units"] == 31
        assert health["store"]["engine"] == app.db.engine and health["store"]["schema"] == migrations.latest
        assert web_app[SCHEDULER].get_job("dispatch") is not None
        report = await web_app[TICK]()
        again = await web_app[TICK]()
    assert report.sent == len(sender.sent) > 0
    assert again.sent == 0                                   # delivered once, not on every tick
    assert {p for p, _, _ in sender.sent} >= {"console:alice", "console:tess"}
