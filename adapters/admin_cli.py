"""``assessbot admin …`` and ``assessbot export …``: thin commands over ``bot.records``.

Every rule (what a valid roster is, what erasure removes, what the matrix holds) lives in the
library; these functions parse flags, call it, and turn its answers and errors into output and an
exit status (0 done, 1 refused with a reason on standard error).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from adapters.compose import App, build_app, parse_now
from bot.records.cohort import admin_scope, cohort_rows
from bot.records.export import COHORT_COLUMNS, ExportError, matrix_rows, write_matrix, write_table
from bot.records.people import get_person, link_identity, remove_person
from bot.records.roster import RosterError, add_person, import_roster
from bot.records.roster_rows import check_identity


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the admin and export subcommands to the CLI."""
    admin = sub.add_parser("admin", help="people, identities and the roster", parents=[common])
    admin_sub = admin.add_subparsers(dest="admin_command", required=True)
    roster = admin_sub.add_parser("import-roster", help="import people and registrations from a CSV file",
                                  parents=[common])
    roster.add_argument("file", help="CSV (- for standard input): "
                        "id,name,email,role,centre,cohort,tutor,qualification,registered_on")
    add = admin_sub.add_parser("add-person", help="add a person (or update one)", parents=[common])
    add.add_argument("--id", required=True, help="person id, e.g. console:jane or slack:U0123ABC")
    add.add_argument("--name", required=True)
    add.add_argument("--email")
    add.add_argument("--role", help="learner, tutor, manager or admin")
    add.add_argument("--centre", help="centre name (created if new)")
    link = admin_sub.add_parser("link", help="link a platform identity to a person", parents=[common])
    link.add_argument("--identity", required=True, help="e.g. slack:U0123ABC or teams:<id>")
    link.add_argument("--person", required=True, help="the person's id")
    remove = admin_sub.add_parser("remove-person", help="erase a person's personal data (decisions and audit stay)",
                                  parents=[common])
    remove.add_argument("--id", required=True)

    export = sub.add_parser("export", help="exports for centres and awarding bodies", parents=[common])
    export_sub = export.add_subparsers(dest="export_command", required=True)
    matrix = export_sub.add_parser("matrix", help="a learner's evidence matrix", parents=[common])
    matrix.add_argument("--id", required=True, help="the learner's person id")
    matrix.add_argument("--format", choices=("csv", "xlsx"),
                        help="csv (default) or xlsx; a --out ending .xlsx means xlsx")
    matrix.add_argument("--out", help="file to write (default: CSV to standard output)")
    cohort = export_sub.add_parser("cohort", help="one row per learner: progress and status", parents=[common])
    cohort.add_argument("--centre", help="only this centre (by name)")
    cohort.add_argument("--cohort", help="only this cohort (by name)")
    cohort.add_argument("--format", choices=("csv", "xlsx"), help="csv (default) or xlsx")
    cohort.add_argument("--out", help="file to write (default: CSV to standard output)")


def dispatch(args: argparse.Namespace) -> int:
    """Run an admin or export subcommand; the exit status."""
    handlers = {
        ("admin", "import-roster"): cmd_import_roster, ("admin", "add-person"): cmd_add_person,
        ("admin", "link"): cmd_link, ("admin", "remove-person"): cmd_remove_person,
        ("export", "matrix"): cmd_export_matrix, ("export", "cohort"): cmd_export_cohort,
    }
    key = (args.command, getattr(args, "admin_command", None) or getattr(args, "export_command", None))
    if key not in handlers:
        raise SystemExit(f"unknown command {' '.join(k for k in key if k)}")
    app = build_app(args.config, args.db, args.now)
    try:
        now = parse_now(args.now, app.config.timezone) or datetime.now(ZoneInfo(app.config.timezone))
        return handlers[key](app, args, now)
    finally:
        app.db.close()


def _actor() -> str:
    """Who ran the command, for the audit log."""
    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):         # no login name (some containers)
        return "cli"


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


def cmd_import_roster(app: App, args: argparse.Namespace, now: datetime) -> int:
    try:
        report = import_roster(app.db, app.kb, sys.stdin if args.file == "-" else args.file, now, _actor())
    except RosterError as exc:
        print(f"The roster {args.file} was not imported — nothing was changed. "
              f"Please fix {'this' if len(exc.problems) == 1 else 'these'} and try again:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print(report.summary())
    return 0


def cmd_add_person(app: App, args: argparse.Namespace, now: datetime) -> int:
    try:
        created = add_person(app.db, args.id, args.name, now, _actor(), email=args.email, role=args.role,
                             centre=args.centre)
    except RosterError as exc:
        return _fail(f"{args.id} was not saved: " + "; ".join(exc.problems) + ".")
    print(f"{'Added' if created else 'Updated'} {args.id.strip()}.")
    return 0


def cmd_link(app: App, args: argparse.Namespace, now: datetime) -> int:
    identity = args.identity.strip()
    why = check_identity(identity)
    if why:
        return _fail(f"Not linked: {why}.")
    if get_person(app.db, args.person) is None:
        return _fail(f"Not linked: there is no person “{args.person}” in the records.")
    before = list(app.db.query("SELECT person_id FROM identities WHERE id = ?", [identity]))
    link_identity(app.db, identity, args.person, now, _actor())
    moved = f" (it was linked to {before[0]['person_id']})" if before and before[0]["person_id"] != args.person else ""
    print(f"Linked {identity} to {args.person}{moved}.")
    return 0


def cmd_remove_person(app: App, args: argparse.Namespace, now: datetime) -> int:
    try:
        remove_person(app.db, args.id, now, _actor())
    except LookupError:
        return _fail(f"There is no person “{args.id}” in the records (or they were removed already).")
    print(f"Removed {args.id}: name, e-mail, identities, evidence and conversations erased; "
          "assessment decisions and the audit trail kept.")
    return 0


def _export_format(args: argparse.Namespace) -> str | None:
    """CSV or XLSX, from --format or the --out file's extension; None for XLSX to the screen."""
    fmt = args.format or ("xlsx" if args.out and args.out.lower().endswith(".xlsx") else "csv")
    return None if fmt == "xlsx" and not args.out else fmt


def cmd_export_matrix(app: App, args: argparse.Namespace, now: datetime) -> int:
    fmt = _export_format(args)
    if fmt is None:
        return _fail("An XLSX file can't go to the screen — give a file to write it to with --out FILE.xlsx.")
    try:
        rows = matrix_rows(app.db, app.kb, args.id)
    except (LookupError, ExportError) as exc:
        return _fail(str(exc))
    try:
        write_matrix(rows, fmt, Path(args.out) if args.out else None)
    except OSError as exc:
        return _fail(f"Couldn't write {args.out or 'to standard output'}: {exc.strerror or exc}.")
    if args.out:
        print(f"Wrote the evidence matrix for {args.id} ({len(rows)} criteria) to {args.out}.")
    return 0


def cmd_export_cohort(app: App, args: argparse.Namespace, now: datetime) -> int:
    fmt = _export_format(args)
    if fmt is None:
        return _fail("An XLSX file can't go to the screen — give a file to write it to with --out FILE.xlsx.")
    try:
        scope = admin_scope(app.db, args.centre, args.cohort)
    except LookupError as exc:
        return _fail(str(exc))
    rows = cohort_rows(app.db, app.kb, scope, now.date())
    try:
        write_table(rows, COHORT_COLUMNS, "Cohort", fmt, Path(args.out) if args.out else None)
    except OSError as exc:
        return _fail(f"Couldn't write {args.out or 'to standard output'}: {exc.strerror or exc}.")
    if args.out:
        print(f"Wrote {len(rows)} learners ({scope.label}) to {args.out}.")
    return 0
