"""``assessbot evidence suggest PATH [--as USER] [--json]``: which criteria a document could count for, as
the bot would suggest them to that person (scoped to their qualification). The file is read, never copied.

``--json`` prints ``{"suggestions": [{"unit": "8316-610", "ac": "1.1", "why": "…"}]}``, best first (and
``"error"`` with exit status 1 when the document can't be read)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TextIO

from bot.documents import DocumentProblem, document_text
from bot.records.people import get_person, person_for_identity
from bot.suggest.service import scope_of, suggest_work
from bot.types import MAX_FILE_BYTES


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    evidence = sub.add_parser("evidence", help="evidence: what a piece of work could count for", parents=[common])
    evidence_sub = evidence.add_subparsers(dest="evidence_command", required=True)
    suggest = evidence_sub.add_parser("suggest", help="the criteria a document could evidence (advice only)",
                                      parents=[common])
    suggest.add_argument("path", help="a .docx, .pdf, .txt or .md file, up to 10 MB")
    suggest.add_argument("--as", dest="person", default="console:me",
                         help="whose work: a person id or platform identity (scopes to their qualification)")
    suggest.add_argument("--json", action="store_true", help="print one JSON object")


def _read(path: str) -> bytes:
    """The file's bytes, its size checked before reading it."""
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise DocumentProblem(f"I can't open {path}: {exc.strerror or exc}.") from exc
    if size > MAX_FILE_BYTES:
        raise DocumentProblem(f"“{os.path.basename(path)}” is {size / 1024 / 1024:.1f} MB; the most I can read "
                              "is 10 MB.")
    with open(path, "rb") as f:
        return f.read(MAX_FILE_BYTES + 1)


def suggest(app, path: str, person: str, as_json: bool, out: TextIO = sys.stdout) -> int:
    try:
        text = document_text(os.path.basename(path), _read(path))
    except DocumentProblem as exc:
        if as_json:
            out.write(json.dumps({"suggestions": [], "error": str(exc)}, ensure_ascii=False) + "\n")
        else:
            print(str(exc), file=sys.stderr)
        return 1
    who = get_person(app.db, person) or person_for_identity(app.db, person, app.dialogue.clock())
    scope = scope_of(app.kb, app.db, who.id)
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
