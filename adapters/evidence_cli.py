"""``assessbot evidence suggest PATH [--as USER] [--json]``: which criteria a document could count for, as
the bot would suggest them to that person (scoped to their qualification). The file is read, never copied,
and nothing is stored — not even the person: when ``--as`` names nobody known, every qualification is searched.

``--json`` prints ``{"suggestions": [{"unit": "8316-610", "ac": "1.1", "why": "…"}]}``, best first (and
``"error"`` with exit status 1 when the document can't be read)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from adapters.local_files import local_file
from bot.documents import DocumentProblem, document_text
from bot.records.people import find_person
from bot.suggest.service import scope_of, suggest_work


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    evidence = sub.add_parser("evidence", help="evidence: what a piece of work could count for", parents=[common])
    evidence_sub = evidence.add_subparsers(dest="evidence_command", required=True)
    suggest = evidence_sub.add_parser("suggest", help="the criteria a document could evidence (advice only)",
                                      parents=[common])
    suggest.add_argument("path", help="a .docx, .pdf, .txt or .md file, up to 10 MB")
    suggest.add_argument("--as", dest="person", default="console:me",
                         help="whose work: a person id or platform identity (scopes to their qualification)")
    suggest.add_argument("--json", action="store_true", help="print one JSON object")


def suggest(app, path: str, person: str, as_json: bool, out: TextIO | None = None) -> int:
    out = out or sys.stdout       # looked up when called, not when imported
    document = local_file(path)
    problem, text = document.problem, ""
    if document.data is not None:
        try:
            text = document_text(document.name, document.data)
        except DocumentProblem as exc:
            problem = str(exc)
    if problem:
        if as_json:
            out.write(json.dumps({"suggestions": [], "error": problem}, ensure_ascii=False) + "\n")
        else:
            print(problem, file=sys.stderr)
        return 1
    who = find_person(app.db, person)           # nobody is created for a look-up: unknown → every qualification
    scope = scope_of(app.kb, app.db, who.id if who else None)
    found = suggest_work(app.kb, scope, text)
    if as_json:
        out.write(json.dumps({"suggestions": [{"unit": s.unit, "ac": s.ac, "why": s.why} for s in found]},
                             ensure_ascii=False) + "\n")
        return 0
    if not found:
        out.write("No criterion fits this closely enough to suggest; your tutor can help you decide where it fits.\n")
        return 0
    out.write(f"Could count for ({scope.qualification or 'any qualification'}) — advice only, your tutor decides:\n")
    for n, s in enumerate(found, 1):
        criterion = app.kb.criterion(s.unit, s.ac)
        out.write(f"{n}. {s.unit} AC{s.ac} “{criterion.text if criterion else ''}”\n   why: “{s.why}”\n")
        if s.missing:
            out.write(f"   not shown yet: {s.missing}\n")
    return 0


def dispatch(args: argparse.Namespace) -> int:
    from adapters.compose import build_app

    app = build_app(args.config, args.db, args.now)
    return suggest(app, args.path, args.person, args.json)
