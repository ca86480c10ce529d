"""The store: one SQLite database through sqlite-utils, versioned by migrations.

Everything the bot must remember across restarts lives here. Migrations are append-only:
a fresh database and an older one both reach the latest schema through ``open_store``.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database, Migrations

migrations = Migrations("assessbot")


@migrations()
def m001_conversations(db: Database) -> None:
    # Conversation context: what was discussed last and any question the bot is waiting on.
    db["conversations"].create(
        {"id": str, "person": str, "context": str, "updated_at": str},
        pk="id", not_null={"context", "updated_at"},
    )


def open_store(path: Path | str | None) -> Database:
    """Open (creating and migrating) the database at ``path``; None or ":memory:" is in memory."""
    if path is None or str(path) == ":memory:":
        db = Database(memory=True)
    else:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        db = Database(sqlite3.connect(str(path), timeout=10))
        db.enable_wal()
        db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")
    migrations.apply(db)
    return db


def load_context(db: Database, conversation: str) -> dict[str, Any] | None:
    """The stored context of a conversation, or None for a new one."""
    rows = list(db.query("SELECT context FROM conversations WHERE id = ?", [conversation]))
    return json.loads(rows[0]["context"]) if rows else None


def save_context(db: Database, conversation: str, person: str, context: dict[str, Any],
                 now: datetime) -> None:
    db["conversations"].upsert(
        {"id": conversation, "person": person, "context": json.dumps(context),
         "updated_at": now.isoformat()},
        pk="id",
    )
