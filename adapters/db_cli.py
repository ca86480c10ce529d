"""``assessbot db …``: the store itself — migrate it, copy it to another database, back it up."""

from __future__ import annotations

import argparse
import sys

from bot.config import load_config
from bot.db import DatabaseUnavailable
from bot.db.copy import CopyError, copy_store
from bot.store import migrations, open_store, schema_version


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    db = sub.add_parser("db", help="the store: migrate, copy, back up", parents=[common])
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("migrate", help="bring the store (--db, or database in app.yaml) to the latest schema",
                      parents=[common])
    copy = db_sub.add_parser("copy", help="copy every row into a new, empty database", parents=[common])
    copy.add_argument("--from", dest="source", required=True, help="the store to copy (SQLite path or URL)")
    copy.add_argument("--to", dest="target", required=True, help="the new store (SQLite path or postgresql:// URL)")
    backup = db_sub.add_parser("backup", help="a consistent copy of a SQLite store, taken while it is in use",
                               parents=[common])
    backup.add_argument("path", help="the backup file to write")


def _where(args: argparse.Namespace) -> str:
    return args.db or load_config(args.config).database


def dispatch(args: argparse.Namespace) -> int:
    try:
        return {"migrate": _migrate, "copy": _copy, "backup": _backup}[args.db_command](args)
    except DatabaseUnavailable as exc:
        print(f"can't reach the database: {exc}", file=sys.stderr)
        return 1


def _migrate(args: argparse.Namespace) -> int:
    db = open_store(_where(args), migrate=False)
    ran = migrations.apply(db)
    print(f"{db.engine} {db.location}: " + (f"applied {', '.join(ran)}" if ran else "already up to date")
          + f"; schema {schema_version(db)}")
    db.close()
    return 0


def _copy(args: argparse.Namespace) -> int:
    source, target = open_store(args.source), open_store(args.target)
    try:
        counts = copy_store(source, target)
    except CopyError as exc:
        print(f"not copied: {exc}", file=sys.stderr)
        return 1
    finally:
        source.close()
        target.close()
    width = max(len(c.table) for c in counts)
    print(f"{'table':<{width}}  {'source':>9}  {'target':>9}")
    for c in counts:
        print(f"{c.table:<{width}}  {c.source:>9}  {c.target:>9}  {'same' if c.same else 'DIFFERENT'}")
    different = [c.table for c in counts if not c.same]
    print("every table copied, counts equal" if not different else f"counts differ: {', '.join(different)}")
    return 0 if not different else 1


def _backup(args: argparse.Namespace) -> int:
    db = open_store(_where(args))
    try:
        if db.engine != "sqlite":
            print("PostgreSQL stores are backed up with the server's own tool: "
                  "pg_dump --format=custom --file=assessbot.dump \"$ASSESSBOT_DATABASE_URL\" (see the README)",
                  file=sys.stderr)
            return 1
        pages = db.backup(args.path)
    finally:
        db.close()
    print(f"backed up {db.location} to {args.path} ({pages} pages)")
    return 0
