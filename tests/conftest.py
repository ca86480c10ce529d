"""Shared fixtures: the bundled KB (loaded once), stores on either engine, a dialogue, and ``bot_say``.

Stores: a test module marked ``pytestmark = pytest.mark.engines`` runs each of its store-using tests on
SQLite and on PostgreSQL (a real server, started once per session by ``tests/pg_server.py``); other
tests run on SQLite only. Without PostgreSQL installed, the PostgreSQL half skips, naming ``make test-pg``;
under CI=true it fails instead.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from adapters.compose import make_dialogue
from bot.db import Database
from bot.db.copy import tables
from bot.dialogue import Dialogue
from bot.store import open_store
from bot.types import Message, Reply
from knowledge.kb import KnowledgeBase, load_kb
from knowledge.search import SearchIndex
from tests.pg_server import SKIP_REASON, PgServer, binaries

TEMPLATE = "assessbot_template"
_DATABASES = itertools.count(1)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "engines: run the module's store tests on SQLite and on PostgreSQL")
    # ASSESSBOT_TEST_NOW=2028-02-29T12:00:00+00:00 runs the whole suite with the real clock moved there (and
    # ticking): a test that reads the real date must pass on a month end, a leap day, a clock change.
    moved = os.environ.get("ASSESSBOT_TEST_NOW")
    if moved:
        import time_machine

        time_machine.travel(datetime.fromisoformat(moved), tick=True).start()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine" in metafunc.fixturenames:
        both = metafunc.definition.get_closest_marker("engines") is not None
        metafunc.parametrize("engine", ["sqlite", "postgresql"] if both else ["sqlite"], indirect=True)


class PgDatabases:
    """Test databases on the session's server, reused: a test's databases are emptied when it ends (DELETE
    and identity counters reset: milliseconds, where CREATE DATABASE costs a checkpoint) and handed to the
    next test; a new one is copied from the migrated template only when none is free."""

    def __init__(self, server: PgServer):
        self.server = server
        self.free: list[str] = []
        self.tables: list[str] = []

    def take(self) -> str:
        if self.free:
            return self.free.pop()
        name = f"t{os.getpid()}_{next(_DATABASES)}"
        self.server.admin(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE} STRATEGY FILE_COPY")
        return name

    def give_back(self, name: str) -> None:
        import psycopg

        try:
            with psycopg.connect(self.server.url(name), autocommit=True) as conn:
                conn.execute("SET lock_timeout = '2s'")
                for table in reversed(self.tables):            # children first: foreign keys hold
                    conn.execute(f'DELETE FROM "{table}"')
                conn.execute("SELECT setval(s.oid, 1, false) FROM pg_class s WHERE s.relkind = 'S'")
            self.free.append(name)
        except psycopg.Error:        # a connection the test left open holds a lock: start afresh instead
            self.server.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def pg_databases() -> Iterator[PgDatabases]:
    """A PostgreSQL server for the session, with a migrated template database the tests' ones copy."""
    folder = binaries()
    if folder is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but PostgreSQL isn't installed: " + SKIP_REASON)
        pytest.skip(SKIP_REASON)
    server = PgServer(folder).start()
    try:
        server.admin(f"CREATE DATABASE {TEMPLATE}")
        template = open_store(server.url(TEMPLATE))
        databases = PgDatabases(server)
        databases.tables = tables(template)
        template.close()
        yield databases
    finally:
        server.remove()


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def store_target(engine: str, request: pytest.FixtureRequest, tmp_path) -> Iterator[Callable[..., str]]:
    """``store_target(name)``: where a store lives, for ``open_store`` or a config file — the same place for
    the same name within a test (a restart reopens it), a new empty one for each new name."""
    made: dict[str, str] = {}
    databases: PgDatabases | None = request.getfixturevalue("pg_databases") if engine == "postgresql" else None

    def target(name: str = "store") -> str:
        if name not in made:
            if databases is None:
                made[name] = str(tmp_path / f"{name}.db")
            else:
                made[name] = databases.server.url(databases.take())
        return made[name]

    yield target
    if databases is not None:
        for url in made.values():
            databases.give_back(url.rsplit("/", 1)[1])


@pytest.fixture
def new_store(engine: str, store_target: Callable[..., str]) -> Iterator[Callable[..., Database]]:
    """``new_store()``: a fresh migrated store on the test's engine (SQLite in memory); ``new_store(name)``
    opens the named one (a file on SQLite), again if asked again. All are closed after the test."""
    opened: list[Database] = []
    fresh = itertools.count(1)

    def make(name: str | None = None) -> Database:
        if name is None and engine == "sqlite":
            db = open_store(None)
        else:
            db = open_store(store_target(name or f"fresh{next(fresh)}"))
        opened.append(db)
        return db

    yield make
    for db in opened:
        db.close()


@pytest.fixture
def store(new_store: Callable[..., Database]) -> Database:
    """A fresh store on the test's engine."""
    return new_store()

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_kb()


@pytest.fixture(scope="session")
def search_index(kb: KnowledgeBase) -> SearchIndex:
    return SearchIndex(kb)


@pytest.fixture
def dialogue(kb: KnowledgeBase, search_index: SearchIndex, store: Database) -> Dialogue:
    return make_dialogue(kb, store, clock=lambda: NOW, search=search_index)


@pytest.fixture
def bot_say(dialogue: Dialogue) -> Callable[..., Reply]:
    """``bot_say("…")`` → the first reply, in one conversation per test (context carries)."""

    def say(text: str, person: str = "console:learner", conversation: str = "test",
            now: datetime | None = None) -> Reply:
        return dialogue.handle(Message(person, conversation, text, "console"), now=now)[0]

    return say


class Seen(list[Message]):
    """The messages the dialogue core was handed, in order; ``replies`` what it answered to each."""

    replies: list[list[Reply]]


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> Seen:
    """A spy on ``Dialogue.handle`` (from any thread an adapter runs it in): what an adapter hands the core."""
    messages = Seen()
    messages.replies = []
    handle = Dialogue.handle

    def spy(self: Dialogue, message: Message, *args: Any, **kwargs: Any) -> Any:
        messages.append(message)
        replies = handle(self, message, *args, **kwargs)
        messages.replies.append(replies)
        return replies

    monkeypatch.setattr(Dialogue, "handle", spy)
    return messages
