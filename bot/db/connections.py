"""Where connections come from. SQLite: one per thread for a file (sqlite3 objects stay in the thread that
made them; WAL lets them read while one writes), one shared under a lock for an in-memory database.
PostgreSQL: a psycopg pool, each connection checked before use so that a restarted server is reconnected
to rather than failing every request after it.

Inside ``Database.atomic`` a thread keeps one connection (``pinned``) until the transaction ends.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from pathlib import Path
from typing import Any

CHECK_AFTER_IDLE = 1.0       # seconds: a pooled connection idle this long is checked before it is used


class DatabaseUnavailable(RuntimeError):
    """The store can't be reached (the server is down or every connection is busy): try again later."""


class Pinned(threading.local):
    conn: Any = None
    depth: int = 0


class SQLiteConnections:
    engine = "sqlite"

    def __init__(self, path: str | None):
        self.path = path                    # None: in memory
        self.pinned = Pinned()
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._guard = threading.RLock()     # the in-memory database's single connection
        self._shared = self._connect() if path is None else None

    def _connect(self) -> sqlite3.Connection:
        # Autocommit: a statement outside ``atomic`` commits at once, as on PostgreSQL.
        conn = sqlite3.connect(self.path or ":memory:", timeout=10, isolation_level=None,
                               check_same_thread=self.path is not None)
        if self.path is not None:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            # Cohort views read whole centres: a larger page cache and memory-mapped reads keep them in memory.
            conn.execute("PRAGMA cache_size = -65536")
            conn.execute("PRAGMA mmap_size = 268435456")
        conn.execute("PRAGMA foreign_keys = ON")
        self._opened.append(conn)
        return conn

    @contextmanager
    def acquire(self) -> Iterator[sqlite3.Connection]:
        if self.pinned.conn is not None:
            yield self.pinned.conn
            return
        if self._shared is not None:
            with self._guard:
                yield self._shared
            return
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
        yield conn

    def transaction_connection(self) -> AbstractContextManager[sqlite3.Connection]:
        """The connection a transaction holds: the same as any statement's (the thread's own, or the shared
        in-memory one held under the guard throughout)."""
        return self.acquire()

    begin = "BEGIN IMMEDIATE"       # take the write lock now: a later upgrade could fail with "locked"
    errors: tuple[type[BaseException], ...] = ()

    def close(self) -> None:
        for conn in self._opened:
            with suppress(sqlite3.ProgrammingError):      # made in another thread that has ended
                conn.close()
        self._opened.clear()
        self._local = threading.local()

    def describe(self) -> str:
        return str(Path(self.path).resolve()) if self.path else ":memory:"


class PostgresConnections:
    engine = "postgresql"
    begin = "BEGIN"

    def __init__(self, url: str, max_size: int = 8, timeout: float = 3.0):
        import psycopg
        from psycopg.adapt import Dumper, Loader
        from psycopg_pool import ConnectionPool, PoolTimeout

        int8 = psycopg.postgres.types["int8"].oid

        class BoolAsInt(Dumper):
            # Flags are INTEGER 0/1 on both engines; Python passes bools for them.
            oid = int8

            def dump(self, obj: bool) -> bytes:
                return b"1" if obj else b"0"

        class NumericAsNumber(Loader):
            # sum() of an integer column is NUMERIC on PostgreSQL; the code, like SQLite, wants int or float.
            def load(self, data: Any) -> int | float:
                text = bytes(data).decode()
                return int(text) if text.lstrip("-").isdigit() else float(text)

        def configure(conn: Any) -> None:
            conn.adapters.register_dumper(bool, BoolAsInt)
            conn.adapters.register_loader("numeric", NumericAsNumber)

        self.url = url
        self.pinned = Pinned()
        self._used: dict[int, float] = {}
        self._check_connection = ConnectionPool.check_connection
        self.errors = (psycopg.OperationalError, PoolTimeout)
        self.pool = ConnectionPool(url, min_size=1, max_size=max_size, timeout=timeout, open=False,
                                   kwargs={"autocommit": True}, configure=configure,
                                   check=self._check, name="assessbot",
                                   # A waiting message gets the kind reply after ``timeout``; reconnection
                                   # backs off up to this, then starts again when a request needs it.
                                   reconnect_timeout=30.0)
        try:
            self.pool.open(wait=True, timeout=timeout)
        except PoolTimeout as exc:
            self.pool.close()
            raise DatabaseUnavailable(f"can't reach PostgreSQL: {exc}") from exc

    @contextmanager
    def acquire(self) -> Iterator[Any]:
        if self.pinned.conn is not None:
            yield self.pinned.conn
            return
        with self.pool.connection() as conn:
            try:
                yield conn
            finally:
                self._used[id(conn)] = time.monotonic()

    transaction_connection = acquire

    def _check(self, conn: Any) -> None:
        """The pool's liveness check (a round trip), only for a connection idle a while: one used a moment
        ago is alive, and checking it before every statement would double the cost of each."""
        if time.monotonic() - self._used.get(id(conn), 0.0) > CHECK_AFTER_IDLE:
            self._check_connection(conn)

    def close(self) -> None:
        self.pool.close()

    def describe(self) -> str:
        from bot.db.dialects import redact
        return redact(self.url)
