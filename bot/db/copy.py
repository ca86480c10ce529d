"""Moving a store from one database to another (``assessbot db copy``): every row of every table, parents
before children (foreign keys hold on the way in), each table in one transaction, counts compared after.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.db.database import Database
from bot.db.migrate import TABLE as MIGRATIONS_TABLE

BATCH = 5_000
# Parents first; a table a later migration adds that isn't listed here is copied after these.
ORDER = ("centres", "cohorts", "people", "identities", "tutor_learners", "registrations", "plan_units",
         "criterion_progress", "evidence", "evidence_links", "decisions", "breaks", "audit", "conversations",
         "reminder_rules", "reminder_occurrences", "reminder_prefs", "slack_events", "teams_activities",
         "teams_references", "question_log", "unit_sizes", "sweep_turns")
_NOT_DATA = {MIGRATIONS_TABLE, "_sqlite_migrations"}


class CopyError(RuntimeError):
    pass


@dataclass(frozen=True)
class TableCount:
    table: str
    source: int
    target: int

    @property
    def same(self) -> bool:
        return self.source == self.target


def tables(db: Database) -> list[str]:
    present = [t for t in db.table_names() if t not in _NOT_DATA]
    return [t for t in ORDER if t in present] + sorted(t for t in present if t not in ORDER)


def copy_store(source: Database, target: Database) -> list[TableCount]:
    """Copy every row from ``source`` into ``target`` (both migrated to the same schema; the target empty)."""
    if source.engine == target.engine and source.location == target.location:
        raise CopyError("the source and the target are the same database")
    missing = [t for t in tables(source) if t not in target.table_names()]
    if missing:
        raise CopyError(f"the target has no table {', '.join(missing)}: migrate it to the same version first")
    full = [t for t in tables(target) if target[t].count and t != "unit_sizes"]
    if full:
        raise CopyError(f"the target isn't empty ({', '.join(full)} have rows): copy into a new database")
    for table in tables(source):
        columns = [c for c in source.columns(table) if c in set(target.columns(table))]
        names = ", ".join(f'"{c}"' for c in columns)
        order = ", ".join(f'"{k}"' for k in source.primary_key(table)) or names
        insert = f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" for _ in columns)})'
        with target.atomic():
            if table == "unit_sizes":
                target.execute("DELETE FROM unit_sizes")
            rows = source.execute(f'SELECT {names} FROM "{table}" ORDER BY {order}').rows
            for start in range(0, len(rows), BATCH):
                target.executemany(insert, rows[start:start + BATCH])
        _continue_numbering(target, table)
    return [TableCount(t, source[t].count, target[t].count) for t in tables(source)]


def _continue_numbering(db: Database, table: str) -> None:
    """PostgreSQL identity columns don't move when ids are inserted explicitly: start them after the
    largest copied id, or the next insert would collide."""
    if db.engine != "postgresql":
        return
    keys = db.primary_key(table)
    if len(keys) != 1:
        return
    sequence = db.execute("SELECT pg_get_serial_sequence(?, ?)", [table, keys[0]]).rows[0][0]
    if sequence:
        db.execute(f'SELECT setval(?, coalesce((SELECT max("{keys[0]}") FROM "{table}"), 0) + 1, false)',
                   [sequence])
