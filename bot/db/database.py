"""The store's one code path on both engines: ``query`` / ``execute`` / ``executemany`` with portable SQL,
``atomic`` transactions (nested ones are savepoints) and a small table API in the shape of sqlite-utils'
(``db["people"].insert(...)``), which the code was written against.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

from bot.db.connections import DatabaseUnavailable, PostgresConnections, SQLiteConnections
from bot.db.dialects import POSTGRESQL, SQLITE, Dialect, is_postgres_url, to_format_style

Params = Sequence[Any] | dict[str, Any]
COPY_FROM = 5_000        # rows from which ``insert_all`` uses COPY on PostgreSQL


class NotFoundError(KeyError):
    """No row has that primary key."""


@dataclass
class Result:
    """A statement's rows (fetched: a pooled connection goes back at once) and the rows it changed."""
    rows: list[tuple[Any, ...]]
    rowcount: int
    columns: list[str]

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self.rows)

    def fetchone(self) -> tuple[Any, ...] | None:
        return self.rows[0] if self.rows else None

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self.rows


@dataclass
class Inserted:
    last_pk: Any


class Database:
    def __init__(self, connections: SQLiteConnections | PostgresConnections, dialect: Dialect):
        self._conns = connections
        self.dialect = dialect
        self._keys: dict[str, tuple[str, ...]] = {}
        self._savepoints = threading.local()

    # -- facts -----------------------------------------------------------------------------------------
    @property
    def engine(self) -> str:
        return self.dialect.name

    @property
    def location(self) -> str:
        """The file, ``:memory:``, or the server URL without its password."""
        return self._conns.describe()

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None (in memory, or PostgreSQL)."""
        path = getattr(self._conns, "path", None)
        return Path(path) if path else None

    # -- statements ------------------------------------------------------------------------------------
    def _sql(self, sql: str) -> str:
        return to_format_style(sql) if self.dialect is POSTGRESQL else sql

    def execute(self, sql: str, params: Params = ()) -> Result:
        try:
            with self._conns.acquire() as conn:
                cursor = conn.execute(self._sql(sql), params)
                columns = [d[0] for d in cursor.description or ()]
                rows = [tuple(r) for r in cursor.fetchall()] if cursor.description else []
                return Result(rows, cursor.rowcount, columns)
        except self._conns.errors as exc:
            raise DatabaseUnavailable(str(exc)) from exc

    def executemany(self, sql: str, rows: Iterable[Params]) -> int:
        """Run one statement for each parameter row; the number of rows changed."""
        rows = list(rows)
        if not rows:
            return 0
        try:
            with self._conns.acquire() as conn:
                cursor = conn.cursor()
                cursor.executemany(self._sql(sql), rows)
                return max(cursor.rowcount, 0)
        except self._conns.errors as exc:
            raise DatabaseUnavailable(str(exc)) from exc

    def query(self, sql: str, params: Params = ()) -> Iterator[dict[str, Any]]:
        result = self.execute(sql, params)
        return (dict(zip(result.columns, row, strict=True)) for row in result.rows)

    @contextmanager
    def session(self) -> Iterator[Database]:
        """Keep one connection for this thread through the block (statements still commit one by one):
        a sweep or a message runs hundreds of statements, and taking a pooled connection for each costs
        as much as the statement. Nothing to do on SQLite, whose connections are the thread's already."""
        pinned = self._conns.pinned
        if pinned.conn is not None or isinstance(self._conns, SQLiteConnections):
            yield self
            return
        try:
            with self._conns.transaction_connection() as conn:
                pinned.conn = conn
                try:
                    yield self
                finally:
                    pinned.conn = None
        except self._conns.errors as exc:
            raise DatabaseUnavailable(str(exc)) from exc

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        """A transaction; inside another, a savepoint. Rolled back if the block raises."""
        pinned = self._conns.pinned
        if pinned.conn is not None and pinned.depth > 0:
            pinned.depth += 1
            name = f"sp{pinned.depth}"
            self.execute(f"SAVEPOINT {name}")
            try:
                yield self
            except BaseException:
                self.execute(f"ROLLBACK TO SAVEPOINT {name}")
                self.execute(f"RELEASE SAVEPOINT {name}")
                raise
            else:
                self.execute(f"RELEASE SAVEPOINT {name}")
            finally:
                pinned.depth -= 1
            return
        session = pinned.conn is not None           # inside ``session``: the transaction uses its connection
        try:
            with self._conns.transaction_connection() as conn:
                pinned.conn, pinned.depth = conn, 1
                try:
                    conn.execute(self._conns.begin)
                    try:
                        yield self
                    except BaseException:
                        conn.execute("ROLLBACK")
                        raise
                    conn.execute("COMMIT")
                finally:
                    pinned.depth = 0
                    if not session:
                        pinned.conn = None
        except self._conns.errors as exc:
            raise DatabaseUnavailable(str(exc)) from exc

    def close(self) -> None:
        self._conns.close()

    def backup(self, path: str | Path) -> int:
        """A SQLite store copied to ``path`` with SQLite's online backup API (consistent while in use);
        the number of pages written. PostgreSQL has pg_dump."""
        if not isinstance(self._conns, SQLiteConnections):
            raise TypeError("backup() is for SQLite stores; back PostgreSQL up with pg_dump")
        import sqlite3
        pages = 0

        def progress(status: int, remaining: int, total: int) -> None:
            nonlocal pages
            pages = total
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(str(path))
        try:
            with self._conns.acquire() as conn:
                conn.backup(target, progress=progress)
        finally:
            target.close()
        return pages

    # -- schema ----------------------------------------------------------------------------------------
    def table_names(self) -> list[str]:
        if self.dialect is SQLITE:
            sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        else:
            sql = ("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                   "AND table_type = 'BASE TABLE' ORDER BY table_name")
        return [row[0] for row in self.execute(sql)]

    def columns(self, table: str) -> list[str]:
        if self.dialect is SQLITE:
            return [row[1] for row in self.execute(f'PRAGMA table_info("{table}")')]
        return [row[0] for row in self.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = ? ORDER BY ordinal_position", [table])]

    def primary_key(self, table: str) -> tuple[str, ...]:
        if table not in self._keys:
            if self.dialect is SQLITE:
                info = [(row[5], row[1]) for row in self.execute(f'PRAGMA table_info("{table}")') if row[5]]
                keys = tuple(name for _, name in sorted(info))
            else:
                keys = tuple(row[0] for row in self.execute(
                    "SELECT k.column_name FROM information_schema.table_constraints c "
                    "JOIN information_schema.key_column_usage k ON k.constraint_name = c.constraint_name "
                    "AND k.table_schema = c.table_schema AND k.table_name = c.table_name "
                    "WHERE c.table_schema = current_schema() AND c.table_name = ? "
                    "AND c.constraint_type = 'PRIMARY KEY' ORDER BY k.ordinal_position", [table]))
            if not keys:
                return ()
            self._keys[table] = keys
        return self._keys[table]

    def __getitem__(self, name: str) -> Table:
        return Table(self, name)


def _q(name: str) -> str:
    return f'"{name}"'


class Table:
    """sqlite-utils' table methods the code uses, in portable SQL."""

    def __init__(self, db: Database, name: str):
        self.db, self.name = db, name

    def exists(self) -> bool:
        return self.name in self.db.table_names()

    @property
    def count(self) -> int:
        return self.count_where()

    def count_where(self, where: str | None = None, params: Params = ()) -> int:
        sql = f"SELECT count(*) FROM {_q(self.name)}" + (f" WHERE {where}" if where else "")
        return int(self.db.execute(sql, params).rows[0][0])

    @property
    def rows(self) -> Iterator[dict[str, Any]]:
        return self.rows_where()

    def rows_where(self, where: str | None = None, params: Params = (),
                   order_by: str | None = None) -> Iterator[dict[str, Any]]:
        sql = f"SELECT * FROM {_q(self.name)}" + (f" WHERE {where}" if where else "")
        return self.db.query(sql + (f" ORDER BY {order_by}" if order_by else ""), params)

    def _keys(self, pk: str | Sequence[str] | None) -> tuple[str, ...]:
        if pk is None:
            return self.db.primary_key(self.name)
        return (pk,) if isinstance(pk, str) else tuple(pk)

    def _insert_sql(self, columns: Sequence[str], keys: tuple[str, ...], on_conflict: str) -> str:
        names = ", ".join(_q(c) for c in columns)
        sql = f"INSERT INTO {_q(self.name)} ({names}) VALUES ({', '.join('?' for _ in columns)})"
        updates = [c for c in columns if c not in keys]
        if on_conflict == "ignore":
            sql += " ON CONFLICT DO NOTHING"
        elif on_conflict == "update":
            target = ", ".join(_q(k) for k in keys)
            assignments = ", ".join(f"{_q(c)} = excluded.{_q(c)}" for c in updates)
            sql += (f" ON CONFLICT ({target}) DO UPDATE SET {assignments}" if updates
                    else f" ON CONFLICT ({target}) DO NOTHING")
        return sql

    def insert(self, row: dict[str, Any], pk: str | Sequence[str] | None = None, ignore: bool = False,
               replace: bool = False) -> Inserted:
        """Insert ``row``; ``ignore`` keeps an existing row with its key, ``replace`` overwrites it.
        ``last_pk`` is the new row's key (the generated id when the row brought none)."""
        keys = self._keys(pk)
        sql = self._insert_sql(list(row), keys, "ignore" if ignore else "update" if replace else "")
        if len(keys) == 1 and keys[0] not in row:
            result = self.db.execute(sql + f" RETURNING {_q(keys[0])}", list(row.values()))
            return Inserted(result.rows[0][0] if result.rows else None)
        self.db.execute(sql, list(row.values()))
        return Inserted(row[keys[0]] if len(keys) == 1 else tuple(row[k] for k in keys))

    def insert_all(self, rows: Iterable[dict[str, Any]], pk: str | Sequence[str] | None = None,
                   ignore: bool = False, replace: bool = False, batch_size: int = 5_000) -> int:
        """Insert many rows (all with the first row's columns); the number inserted. One prepared
        statement run for every row (psycopg pipelines them; measured faster than multi-row VALUES on
        PostgreSQL, and as fast on SQLite)."""
        rows = list(rows)
        if not rows:
            return 0
        columns = list(rows[0])
        values = _values(rows, columns)
        if self.db.engine == "postgresql" and len(rows) >= COPY_FROM and not replace:
            return self._copy_in(columns, values, ignore)
        sql = self._insert_sql(columns, self._keys(pk), "ignore" if ignore else "update" if replace else "")
        return sum(self.db.executemany(sql, values[i:i + batch_size]) for i in range(0, len(values), batch_size))

    def _copy_in(self, columns: list[str], values: list[list[Any]], ignore: bool) -> int:
        """Many rows into PostgreSQL the database's way: COPY into a temporary table, then one INSERT …
        SELECT (COPY itself can't skip rows that are already there)."""
        names = ", ".join(_q(c) for c in columns)
        with self.db.atomic():
            with self.db._conns.acquire() as conn:
                # Just the columns given, no constraints: the real table checks them on the way in.
                conn.execute(f"CREATE TEMP TABLE _bulk ON COMMIT DROP AS SELECT {names} FROM {_q(self.name)} "
                             "WITH NO DATA")
                with conn.cursor().copy(f"COPY _bulk ({names}) FROM STDIN") as copy:
                    for row in values:
                        copy.write_row(row)
            inserted = self.db.execute(f"INSERT INTO {_q(self.name)} ({names}) SELECT {names} FROM _bulk"
                                       + (" ON CONFLICT DO NOTHING" if ignore else "")).rowcount
            self.db.execute("DROP TABLE _bulk")        # a second bulk insert may follow in the same transaction
            return inserted

    def upsert(self, row: dict[str, Any], pk: str | Sequence[str] | None = None) -> Inserted:
        """Insert ``row``, or update the columns it names in the row with its key."""
        keys = self._keys(pk)
        self.db.execute(self._insert_sql(list(row), keys, "update"), list(row.values()))
        return Inserted(row[keys[0]] if len(keys) == 1 else tuple(row[k] for k in keys))

    def _where_key(self, key: Any) -> tuple[str, list[Any]]:
        keys = self.db.primary_key(self.name)
        values = list(key) if isinstance(key, (tuple, list)) else [key]
        if len(values) != len(keys):
            raise NotFoundError(key)
        return " AND ".join(f"{_q(k)} = ?" for k in keys), values

    def update(self, key: Any, values: dict[str, Any]) -> None:
        if not values:
            return
        where, params = self._where_key(key)
        sets = ", ".join(f"{_q(c)} = ?" for c in values)
        self.db.execute(f"UPDATE {_q(self.name)} SET {sets} WHERE {where}", [*values.values(), *params])

    def get(self, key: Any) -> dict[str, Any]:
        where, params = self._where_key(key)
        rows = list(self.db.query(f"SELECT * FROM {_q(self.name)} WHERE {where}", params))
        if not rows:
            raise NotFoundError(key)
        return rows[0]

    # -- schema (migrations) ---------------------------------------------------------------------------
    def create(self, columns: dict[str, type], pk: str | Sequence[str] | None = None,
               not_null: Iterable[str] = (), defaults: dict[str, Any] | None = None,
               foreign_keys: Iterable[tuple[str, str, str]] = ()) -> None:
        """CREATE TABLE from Python types, in sqlite-utils' terms; an int key alone is auto-numbered."""
        keys = self._keys(pk) if pk is not None else ()
        not_null, defaults = set(not_null), defaults or {}
        references = {column: (table, other) for column, table, other in foreign_keys}
        parts = []
        for column, kind in columns.items():
            if keys == (column,) and kind is int:
                parts.append(f"{_q(column)} {self.db.dialect.serial_key}")
                continue
            part = f"{_q(column)} {self.db.dialect.type_of(kind)}"
            if keys == (column,):
                part += " PRIMARY KEY"
            if column in not_null:
                part += " NOT NULL"
            if column in defaults:
                value = defaults[column]
                part += f" DEFAULT {value!r}" if isinstance(value, str) else f" DEFAULT {int(value)}"
            if column in references:
                part += f" REFERENCES {_q(references[column][0])}({_q(references[column][1])})"
            parts.append(part)
        if len(keys) > 1:
            parts.append(f"PRIMARY KEY ({', '.join(_q(k) for k in keys)})")
        self.db.execute(f"CREATE TABLE {_q(self.name)} (\n  " + ",\n  ".join(parts) + "\n)")

    def create_index(self, columns: Sequence[str], unique: bool = False, index_name: str | None = None) -> None:
        name = index_name or f"idx_{self.name}_{'_'.join(columns)}"
        self.db.execute(f"CREATE {'UNIQUE ' if unique else ''}INDEX IF NOT EXISTS {_q(name)} "
                        f"ON {_q(self.name)} ({', '.join(_q(c) for c in columns)})")

    def add_column(self, name: str, kind: type) -> None:
        self.db.execute(f"ALTER TABLE {_q(self.name)} ADD COLUMN {_q(name)} {self.db.dialect.type_of(kind)}")


def open_database(target: str | Path | None) -> Database:
    """A database from a SQLite path (None or ":memory:" in memory; ``sqlite:///path`` also read) or a
    ``postgresql://`` URL. Raises ``DatabaseUnavailable`` when a server can't be reached."""
    text = "" if target is None else str(target)
    if is_postgres_url(text):
        return Database(PostgresConnections(text.replace("postgresql+psycopg://", "postgresql://")), POSTGRESQL)
    if text.startswith("sqlite:///"):
        text = text[len("sqlite:///"):]
    if text in ("", ":memory:"):
        return Database(SQLiteConnections(None), SQLITE)
    Path(text).parent.mkdir(parents=True, exist_ok=True)
    return Database(SQLiteConnections(text), SQLITE)


__all__ = ["Database", "DatabaseUnavailable", "NotFoundError", "Result", "Table", "open_database"]


def _values(rows: list[dict[str, Any]], columns: list[str]) -> list[Any]:
    """Each row's values in ``columns`` order. itemgetter does it in C (a first sweep at scale inserts
    three quarters of a million rows); a row without one of the columns falls back to None for it."""
    pick = itemgetter(*columns)
    try:
        picked = [pick(r) for r in rows]
    except KeyError:
        return [[r.get(c) for c in columns] for r in rows]
    return picked if len(columns) > 1 else [(v,) for v in picked]
