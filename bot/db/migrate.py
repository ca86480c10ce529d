"""Append-only migrations, recorded by name in ``assessbot_migrations`` on either engine.

All pending migrations run in one transaction that starts by taking a lock (SQLite: BEGIN IMMEDIATE;
PostgreSQL: an advisory lock), so two processes starting at once migrate once. A SQLite file made before
this table existed was migrated by sqlite-utils, which recorded the same names in ``_sqlite_migrations``:
those are taken over rather than run again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from bot.db.database import Database

TABLE = "assessbot_migrations"
_LOCK = 7_240_311                    # the advisory lock's number: any constant unique to this app
Migration = Callable[[Database], None]


class Migrations:
    def __init__(self, name: str):
        self.name = name
        self.steps: list[tuple[str, Migration]] = []

    def __call__(self) -> Callable[[Migration], Migration]:
        def register(fn: Migration) -> Migration:
            self.steps.append((fn.__name__, fn))
            return fn
        return register

    @property
    def latest(self) -> str:
        return self.steps[-1][0]

    def applied(self, db: Database) -> list[str]:
        if TABLE not in db.table_names():
            return []
        done = {row[0] for row in db.execute(f"SELECT name FROM {TABLE} WHERE migration_set = ?", [self.name])}
        return [name for name, _ in self.steps if name in done]       # in the order they are defined

    def pending(self, db: Database) -> list[str]:
        done = set(self.applied(db))
        return [name for name, _ in self.steps if name not in done]

    def apply(self, db: Database) -> list[str]:
        """Run the migrations not yet applied, in order; the names run."""
        if TABLE in db.table_names() and not self.pending(db):
            return []                        # the common case: nothing to do, no write lock taken
        ran: list[str] = []
        with db.atomic():
            if db.engine == "postgresql":
                db.execute("SELECT pg_advisory_xact_lock(?)", [_LOCK])
            db.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (migration_set TEXT NOT NULL, name TEXT NOT NULL, "
                       "applied_at TEXT NOT NULL, PRIMARY KEY (migration_set, name))")
            self._take_over_sqlite_utils(db)
            done = set(self.applied(db))
            for name, fn in self.steps:
                if name in done:
                    continue
                fn(db)
                db.execute(f"INSERT INTO {TABLE} (migration_set, name, applied_at) VALUES (?, ?, ?)",
                           [self.name, name, datetime.now(UTC).isoformat()])
                ran.append(name)
        return ran

    def _take_over_sqlite_utils(self, db: Database) -> None:
        if db.engine != "sqlite" or "_sqlite_migrations" not in db.table_names():
            return
        db.execute(f"INSERT INTO {TABLE} (migration_set, name, applied_at) SELECT migration_set, name, applied_at "
                   "FROM _sqlite_migrations WHERE migration_set = ? ON CONFLICT DO NOTHING", [self.name])
