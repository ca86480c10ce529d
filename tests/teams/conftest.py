"""Teams fixtures: the loopback connector, an app configured for Teams in development mode, a client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.compose import App, make_dialogue
from bot.config import load_config
from bot.store import open_store
from knowledge.kb import KnowledgeBase
from knowledge.search import SearchIndex
from tests.teams.fakes import FakeConnector

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=LONDON)          # a Monday, not a bank holiday


def write_config(folder: Path, app_id: str = "", extra: str = "", database: str | None = None) -> Path:
    """An app.yaml with Teams on (development mode unless ``app_id``) and its store ``database`` (SQLite
    file or PostgreSQL URL; default a file in ``folder``)."""
    path = folder / "app.yaml"
    password = "secret" if app_id else ""
    path.write_text(f"timezone: Europe/London\ndatabase: {database or folder / 'bot.db'}\nslack:\n  enabled: false\n"
                    f"teams:\n  enabled: true\n  app_id: \"{app_id}\"\n  app_password: \"{password}\"\n{extra}",
                    encoding="utf-8")
    return path


@pytest.fixture
def fake() -> Iterator[FakeConnector]:
    with FakeConnector() as connector:
        yield connector


@pytest.fixture
def config_path(tmp_path: Path, store_target) -> Path:
    return write_config(tmp_path, database=store_target("teams"))


@pytest.fixture
def teams_app(config_path: Path, kb: KnowledgeBase, search_index: SearchIndex) -> Iterator[App]:
    """What ``build_app`` makes from the config, on the session's KB (loading it per test is slow)."""
    config = load_config(config_path)
    db = open_store(config.database)
    app = App(config, kb, db, make_dialogue(kb, db, clock=lambda: NOW, search=search_index))
    yield app
    app.db.close()


@pytest.fixture
async def client(teams_app: App, config_path: Path) -> AsyncIterator[TestClient]:
    """``assessbot serve``'s own web app with the Teams mount, the dispatcher idle."""
    import adapters.teams
    from adapters.server import build_web_app

    web_app = build_web_app(teams_app, clock=lambda: NOW, tick_seconds=3600,
                            mounts=(adapters.teams.mount,))
    async with TestClient(TestServer(web_app)) as test_client:
        yield test_client
