"""The store on either engine: ``assessbot db migrate|copy|backup``, a copy there and back losing
nothing, and a PostgreSQL server lost and found again while the bot runs."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.cli import main
from adapters.compose import make_dialogue
from bot.db import Database, DatabaseUnavailable
from bot.db.copy import CopyError, copy_store, tables
from bot.records.decisions import record_decision
from bot.records.evidence import log_evidence
from bot.records.people import get_person
from bot.reminders.dispatch import ConsoleSender, dispatch_due
from bot.reminders.rules import create_rule
from bot.store import migrations, open_store
from bot.types import Message
from tests.pg_server import PgServer
from tests.records_fixture import seed

pytestmark = pytest.mark.engines
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def _centre(db: Database, kb) -> None:
    """A centre with a little of everything: people, plans, evidence, decisions, reminders, a conversation."""
    seed(db, kb, NOW)
    tess = get_person(db, "console:tess")
    log_evidence(db, "console:alice", "Budget monitoring report", [("8391-501", "2.2"), ("8391-501", "3.1")],
                 NOW, "console:alice")
    record_decision(db, kb, tess, "console:alice", "8391-501", "2.2", "referred", "Add the variance analysis.", NOW)
    create_rule(db, "console:tess", "person", "console:alice", {"type": "once", "at": "2026-11-23T10:30"},
                "Bring your budget report", NOW)
    dispatch_due(db, kb, ConsoleSender(), NOW + timedelta(hours=1))
    make_dialogue(kb, db, clock=lambda: NOW).handle(Message("console:alice", "c1", "what does 8391-501 AC2.2 need?",
                                                       "console"))


def _rows(db: Database) -> dict[str, list[str]]:
    return {t: sorted(repr(sorted(r.items())) for r in db[t].rows) for t in tables(db)}


def test_migrate_reports_the_schema_and_is_idempotent(store_target, capsys) -> None:
    where = store_target("fresh")
    assert main(["db", "migrate", "--db", where]) == 0
    first = capsys.readouterr().out
    assert f"schema {migrations.latest}" in first
    assert main(["db", "migrate", "--db", where]) == 0
    assert "already up to date" in capsys.readouterr().out


def test_a_copy_there_and_back_gives_the_same_rows(kb, tmp_path: Path, pg_databases, capsys) -> None:
    source = open_store(tmp_path / "centre.db")
    _centre(source, kb)
    before = _rows(source)
    assert before["evidence_links"] and before["decisions"] and before["reminder_occurrences"]
    source.close()
    name = pg_databases.take()
    try:
        url = pg_databases.server.url(name)
        assert main(["db", "copy", "--from", str(tmp_path / "centre.db"), "--to", url]) == 0
        out = capsys.readouterr().out
        assert "every table copied, counts equal" in out and "DIFFERENT" not in out
        assert main(["db", "copy", "--from", url, "--to", str(tmp_path / "back.db")]) == 0
        back = open_store(tmp_path / "back.db")
        assert _rows(back) == before
        # Numbering continues after the copied ids on PostgreSQL: the next evidence doesn't collide.
        there = open_store(url)
        ids = [r["id"] for r in there.query("SELECT id FROM evidence")]
        new = log_evidence(there, "console:alice", "Procurement policy", [("8391-502", "1.1")], NOW, "console:alice")
        assert new > max(ids)
        # A second copy into a database with rows is refused rather than merged.
        with pytest.raises(CopyError, match="isn't empty"):
            copy_store(back, there)
        there.close()
        back.close()
    finally:
        pg_databases.give_back(name)


def test_backup_of_a_sqlite_store_in_use(kb, tmp_path: Path, capsys) -> None:
    live = open_store(tmp_path / "live.db")
    seed(live, kb, NOW)
    assert main(["db", "backup", "--db", str(tmp_path / "live.db"), str(tmp_path / "copy.db")]) == 0
    assert "backed up" in capsys.readouterr().out
    copy = open_store(tmp_path / "copy.db")
    assert _rows(copy) == _rows(live)
    live.close()
    copy.close()


def test_a_postgresql_backup_points_to_pg_dump(pg_databases, tmp_path: Path, capsys) -> None:
    name = pg_databases.take()
    try:
        assert main(["db", "backup", "--db", pg_databases.server.url(name), str(tmp_path / "never.db")]) == 1
        assert "pg_dump" in capsys.readouterr().err and not (tmp_path / "never.db").exists()
    finally:
        pg_databases.give_back(name)


def test_a_lost_server_gets_a_kind_reply_and_the_bot_recovers(kb, pg_databases) -> None:
    """Its own server: this one is stopped and started again."""
    server = PgServer(pg_databases.server.bin).start()
    try:
        server.admin("CREATE DATABASE lost")
        db = open_store(server.url("lost"))
        seed(db, kb, NOW)
        bot = make_dialogue(kb, db, clock=lambda: NOW)

        def say(text: str):
            return bot.handle(Message("console:alice", "c1", text, "console"))[0]

        assert say("when does my registration expire?").kind == "answer"
        server.stop()
        reply = say("add unit 503 to my plan")
        assert reply.kind == "error" and "can't reach my records right now" in reply.text()
        with pytest.raises(DatabaseUnavailable):
            db.execute("SELECT 1")
        server.restart()
        server.wait_until_up()
        # The pool reconnects (with back-off) within seconds of the server's return.
        deadline = time.monotonic() + 30
        while say("when does my registration expire?").kind != "answer":
            assert time.monotonic() < deadline, "the store did not come back"
            time.sleep(0.5)
        added = say("add unit 503 to my plan")
        assert added.kind == "done", added.text()
        assert db.execute("SELECT count(*) FROM plan_units WHERE unit_code = '8391-503'").fetchone() == (1,)
        db.close()
    finally:
        server.remove()


@pytest.mark.parametrize("rows", [3, 6_000])         # statements, and COPY on PostgreSQL
def test_insert_all_stores_each_rows_values_and_none_for_a_missing_column(store, rows: int) -> None:
    """Values are picked by the first row's columns (in C, for the sweep's thousands); a later row without
    one of them stores None there, on either path."""
    # A table of its own, dropped after: the PostgreSQL databases are pooled between tests, which expect
    # only the store's own tables in them.
    store.execute("CREATE TABLE picks (k TEXT PRIMARY KEY, a TEXT, b INTEGER)")
    try:
        data = [{"k": f"k{i}", "a": f"a{i}", "b": i} for i in range(rows)]
        data[1] = {"k": "k1", "b": 1}
        assert store["picks"].insert_all(data) == rows
        got = {k: (a, b) for k, a, b in store.execute("SELECT k, a, b FROM picks").rows}
        assert got["k0"] == ("a0", 0) and got["k1"] == (None, 1)
        assert got[f"k{rows - 1}"] == (f"a{rows - 1}", rows - 1) and len(got) == rows
        assert store["picks"].insert_all([{"k": "k0", "a": "x", "b": 9}], ignore=True) == 0
    finally:
        store.execute("DROP TABLE picks")
