"""The ``assessbot`` command line: a thin shell over ``knowledge`` and ``bot`` functions.

Every subcommand accepts ``--db``, ``--now`` and ``--config`` (ARCHITECTURE.md), even where it
ignores them, so scripts can pass the same flags everywhere.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from knowledge.kb import KnowledgeBase, load_kb, normalise_ac


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="the store: a SQLite file or a postgresql:// URL (default: database in "
                                     "app.yaml, or ASSESSBOT_DATABASE_URL)")
    common.add_argument("--now", help="the clock for this command (ISO date-time, configured time zone)")
    common.add_argument("--config", help="configuration file (default: ./app.yaml)")
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(prog="assessbot", description="AssessBot — assessment planning",
                                     parents=[common])
    sub = parser.add_subparsers(dest="command", required=True)

    kb = sub.add_parser("kb", help="the knowledge base", parents=[common])
    kb_sub = kb.add_subparsers(dest="kb_command", required=True)
    kb_sub.add_parser("build", help="importers + curation → knowledge/specs", parents=[common])
    kb_sub.add_parser("check", help="validate the KB and compare it with a fresh build", parents=[common])
    kb_sub.add_parser("dump", help="the whole KB as JSON", parents=[common])
    show = kb_sub.add_parser("show", help="a unit, criterion or qualification, readable", parents=[common])
    show.add_argument("ref", help="unit code (8391-501, 501), or qualification id")
    show.add_argument("ac", nargs="?", help="criterion id, e.g. 2.2")

    chat = sub.add_parser("chat", help="console conversation", parents=[common])
    chat.add_argument("--as", dest="person", default=None, help="the person speaking (default: the demo learner on "
                                                                 "a fresh default database, else console:me)")

    ask = sub.add_parser("ask", help="one message (or JSON lines on stdin)", parents=[common])
    ask.add_argument("--as", dest="person", default="console:me", help="the person speaking")
    ask.add_argument("--json", action="store_true", help="print exactly one JSON object")
    ask.add_argument("--jsonl", action="store_true", help="read JSON lines on stdin, write one per line")
    ask.add_argument("text", nargs="*", help="the message")
    from adapters import admin_cli

    admin_cli.register(sub, common)
    from adapters.teams import cli as teams_cli

    teams_cli.register(sub, common)
    from adapters import nlu_cli

    nlu_cli.register(sub, common)
    from adapters import db_cli

    db_cli.register(sub, common)
    from adapters import evidence_cli

    evidence_cli.register(sub, common)

    reminders = sub.add_parser("reminders", help="reminders due now, and sending them", parents=[common])
    reminders_sub = reminders.add_subparsers(dest="reminders_command", required=True)
    due = reminders_sub.add_parser("due", help="reminders due at or before now and not yet sent", parents=[common])
    due.add_argument("--json", action="store_true", help="one JSON object per line")
    reminders_sub.add_parser("run", help="send what is due and record it", parents=[common])

    serve = sub.add_parser("serve", help="the server: health check and the reminder dispatcher (Slack and Teams "
                                         "arrive with their adapters)", parents=[common])
    serve.add_argument("--port", type=int, default=3978)
    return parser


def _kb(args: argparse.Namespace) -> KnowledgeBase:
    from bot.config import load_config

    config = load_config(args.config)
    return load_kb(config.specs_dir)


def cmd_kb(args: argparse.Namespace) -> int:
    if args.kb_command == "build":
        from knowledge.build import build_all

        written = build_all()
        for name in written:
            print(f"wrote knowledge/specs/{name}")
        return 0
    if args.kb_command == "check":
        from knowledge.check import check

        problems = check()
        kb = load_kb()
        for p in problems:
            print(f"PROBLEM: {p}")
        criteria = sum(len(u.criteria) for u in kb.units.values())
        print(f"{len(kb.qualifications)} qualifications, {len(kb.units)} units, {criteria} criteria, "
              f"{len(kb.rules)} rules: " + ("OK" if not problems else f"{len(problems)} problem(s)"))
        return 1 if problems else 0
    kb = _kb(args)
    if args.kb_command == "dump":
        json.dump(kb.as_json(), sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    return show_ref(kb, args.ref, args.ac)


def show_ref(kb: KnowledgeBase, ref: str, ac: str | None) -> int:
    """Print a qualification, a unit or one of its criteria; say plainly when there is none."""
    from knowledge.describe import describe_criterion, describe_qualification, describe_unit

    if ref in kb.qualifications:
        print(describe_qualification(kb, kb.qualifications[ref]))
        return 0
    candidates = [u for u, _ in kb.find_units(ref)]
    if not candidates:
        print(f"No unit or qualification matches “{ref}”.")
        return 1
    if len(candidates) > 1 and not (kb.unit(ref)):
        print(f"“{ref}” fits several units; say which:")
        for u in candidates:
            print(f"  {u.code} {u.title}")
        return 1
    unit = candidates[0]
    if ac is None:
        print(describe_unit(kb, unit))
        return 0
    criterion = unit.criterion(normalise_ac(ac))
    if criterion is None:
        print(f"Unit {unit.code} has no criterion {normalise_ac(ac)}; its criteria are "
              + ", ".join(c.id for c in unit.criteria) + ".")
        return 1
    print(describe_criterion(kb, unit, criterion))
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from adapters.compose import build_app
    from adapters.console import run_console
    from bot.records.demo import LEARNER, is_empty, load_demo

    app = build_app(args.config, args.db, args.now)
    person = args.person or "console:me"
    demo = False
    if args.db is None and is_empty(app.db):
        # A newcomer's first `make chat`: a small demo centre, so records, tutor and manager views can be tried.
        load_demo(app.db, app.kb, app.dialogue.clock())
        person, demo = args.person or LEARNER, True
    elif args.person is None and app.db["people"].count_where("id LIKE 'demo:%'"):
        person, demo = LEARNER, True
    return run_console(app.dialogue, person, demo=demo)


def cmd_ask(args: argparse.Namespace) -> int:
    from adapters.ask import ask_jsonl, ask_once
    from adapters.compose import build_app

    app = build_app(args.config, args.db, args.now)
    if args.jsonl:
        return ask_jsonl(app.dialogue, sys.stdin, sys.stdout, default_person=args.person)
    text = " ".join(args.text)
    return ask_once(app.dialogue, text, args.person, as_json=args.json, stdout=sys.stdout)


def cmd_reminders(args: argparse.Namespace) -> int:
    from adapters.compose import build_app, clock_now
    from adapters.reminders_cli import reminders_due, reminders_run

    app = build_app(args.config, args.db, args.now)
    now = clock_now(app, args.now)
    if args.reminders_command == "due":
        return reminders_due(app, now, as_json=args.json, out=sys.stdout)
    return reminders_run(app, now, out=sys.stdout)


def cmd_serve(args: argparse.Namespace) -> int:
    from adapters.server import serve

    return serve(args.config, args.db, args.port)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handlers = {"kb": cmd_kb, "chat": cmd_chat, "ask": cmd_ask, "serve": cmd_serve, "reminders": cmd_reminders}
    if args.command == "nlu":
        from adapters import nlu_cli

        return nlu_cli.dispatch(args)
    if args.command == "teams":
        from adapters.teams import cli as teams_cli

        return teams_cli.dispatch(args)
    if args.command == "db":
        from adapters import db_cli

        return db_cli.dispatch(args)
    if args.command == "evidence":
        from adapters import evidence_cli

        return evidence_cli.dispatch(args)
    if args.command not in handlers:
        from adapters import admin_cli

        return admin_cli.dispatch(args)
    return handlers[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
