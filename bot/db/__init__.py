"""The store's database layer: SQLite (embedded default) or PostgreSQL (shared, at scale), one code path."""

from bot.db.connections import DatabaseUnavailable
from bot.db.database import Database, NotFoundError, Result, Table, open_database
from bot.db.migrate import Migrations

__all__ = ["Database", "DatabaseUnavailable", "Migrations", "NotFoundError", "Result", "Table", "open_database"]
