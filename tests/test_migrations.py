"""The store's migrations: an older database reaches the latest schema with its data intact."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from bot.db import Database, open_database
from bot.store import load_context, m001_conversations, migrations, open_store

FIRST = "m001_conversations"
LATEST = migrations.pending(open_database(None))     # every migration, in order
RECORD_TABLES = {"centres", "cohorts", "people", "identities", "tutor_learners", "registrations", "plan_units",
                 "criterion_progress", "evidence", "evidence_links", "decisions", "audit"}


def _first_by_migrations(path: Path) -> None:
    # As releases before the PostgreSQL store left it: sqlite-utils' own migrations, m001 applied.
    db = sqlite_utils.Database(sqlite3.connect(str(path)))
    old = sqlite_utils.Migrations("assessbot")
    old()(m001_conversations)
    old.apply(db)
    db.close()


def _first_by_hand(path: Path) -> None:
    # As an m001-era release left it: the table and the record of the one migration applied, in the
    # older sqlite-utils shape of _sqlite_migrations (no id column), which apply() must also accept.
    conn = sqlite3.connect(str(path))
    conn.execute("CREATE TABLE conversations (id TEXT PRIMARY KEY, person TEXT, context TEXT NOT NULL, "
                 "updated_at TEXT NOT NULL)")
    conn.execute("CREATE TABLE _sqlite_migrations (migration_set TEXT, name TEXT, applied_at TEXT, "
                 "PRIMARY KEY (migration_set, name))")
    conn.execute("INSERT INTO _sqlite_migrations VALUES ('assessbot', ?, '2025-01-01 00:00:00+00:00')", [FIRST])
    conn.commit()
    conn.close()


def _schema(db: Database) -> list[str]:
    return [r["sql"] for r in db.query("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")]


@pytest.mark.parametrize("make_first", [_first_by_migrations, _first_by_hand], ids=["migrations", "by-hand"])
def test_a_first_migration_database_is_migrated_with_its_rows_intact(tmp_path, make_first) -> None:
    path = tmp_path / "old.db"
    make_first(path)
    conn = sqlite3.connect(str(path))
    assert {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")} == {
        "conversations", "_sqlite_migrations"}
    conn.execute("INSERT INTO conversations VALUES ('c1', 'console:alice', '{\"unit\": \"8391-501\"}', "
                 "'2025-01-02T10:00:00+00:00')")
    conn.commit()
    conn.close()

    db = open_store(path)
    assert set(db.table_names()) >= RECORD_TABLES
    assert migrations.applied(db) == LATEST
    assert migrations.pending(db) == []
    assert load_context(db, "c1") == {"unit": "8391-501"}
    assert db["conversations"].get("c1")["person"] == "console:alice"
    db.close()


def test_reopening_a_latest_database_is_a_no_op(tmp_path) -> None:
    path = tmp_path / "latest.db"
    db = open_store(path)
    db["conversations"].insert({"id": "c1", "person": "console:bob", "context": "{}", "updated_at": "x"})
    schema, applied = _schema(db), migrations.applied(db)
    db.close()
    again = open_store(path)
    assert _schema(again) == schema
    assert migrations.applied(again) == applied            # same names, same applied_at: nothing re-ran
    assert again["conversations"].count == 1
    again.close()


def test_file_databases_use_wal_and_foreign_keys(tmp_path) -> None:
    db = open_store(tmp_path / "wal.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    # Foreign keys are enforced, not merely declared.
    with pytest.raises(sqlite3.IntegrityError):
        db["identities"].insert({"id": "slack:U1", "person_id": "nobody", "created_at": "2026-01-01"})
    db.close()
    assert open_store(None).execute("PRAGMA foreign_keys").fetchone()[0] == 1
