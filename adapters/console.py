"""The console: a local conversation with the dialogue core, no tokens needed (``make chat``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from adapters.local_files import local_file
from bot.dialogue import Dialogue
from bot.records.demo import ROLES
from bot.records.people import get_person
from bot.types import Message, Reply

WELCOME = (
    "AssessBot — ask about your qualification's units, criteria, evidence and rules.\n"
    "For example: “what evidence does 8391-501 AC2.2 need?”, “is one model enough for 1.3 in 8431-700?”,\n"
    "“tell me about unit 503”, “can I use witness testimony on the level 5?”.\n"
    "“what could this count for? <a few lines about your work>” or /attach <file> suggests criteria for it.\n"
    "Type “quit” to leave."
)


DEMO = ("You're in a small demo centre, speaking as {name} ({role}). Try “when does my registration expire?”,\n"
        "“show my plan”, “aim to finish 502 by end of March”. Switch speaker with /as tutor, /as manager, /as learner\n"
        "or /as <person id> — then try “how is Lena doing?”, “who's behind?”, “whose targets fall before Easter?”.")


def _who(dialogue: Dialogue, person: str) -> tuple[str, str]:
    found = get_person(dialogue.db, person)
    return (found.name or person, found.role or "no role") if found else (person, "not on the roster")


def _switch(dialogue: Dialogue, wanted: str) -> str | None:
    """The person ``/as …`` names: a demo role, or any person id on the roster."""
    person = ROLES.get(wanted.lower(), wanted)
    return person if get_person(dialogue.db, person) else None


def run_console(dialogue: Dialogue, person: str = "console:me", stdin: TextIO = sys.stdin,
                stdout: TextIO = sys.stdout, demo: bool = False) -> int:
    """A read–reply loop; the conversation (and its context) is the person's own. ``/as …`` changes who
    is speaking (the demo's learner, tutor or manager, or any person id)."""
    print(WELCOME, file=stdout)
    if demo:
        name, role = _who(dialogue, person)
        print(DEMO.format(name=name, role=role), file=stdout)
    conversation = f"console:{person}"
    while True:
        print("\n> ", end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line or line.strip().lower().lstrip("/") in {"quit", "exit", "bye", "goodbye"}:
            print("Goodbye — good luck with your portfolio.", file=stdout)
            return 0
        if not line.strip():
            continue
        if line.strip().lower().startswith("/as"):
            wanted = line.strip()[3:].strip()
            found = _switch(dialogue, wanted) if wanted else None
            if found is None:
                print(f"I don't know “{wanted}”. Try /as learner, /as tutor, /as manager or a person id.", file=stdout)
                continue
            person, conversation = found, f"console:{found}"
            name, role = _who(dialogue, person)
            print(f"Now speaking as {name} ({role}).", file=stdout)
            continue
        text, files = line.rstrip("\n"), ()
        if line.strip().lower().startswith("/attach"):
            # "/attach report.pdf what could this count for?": the file as Slack or Teams would deliver it.
            path, _, text = line.strip()[len("/attach"):].strip().partition(" ")
            files = (local_file(path),)
        for reply in dialogue.handle(Message(person, conversation, text, "console", files=files)):
            print(reply.text(), file=stdout)
            for path in save_attachments(reply):
                print(f"(saved {path})", file=stdout)


EXPORTS = Path("exports")


def save_attachments(reply: Reply, directory: Path | None = None) -> list[Path]:
    """Files that come with a reply, saved where the console can point to them (``./exports``)."""
    directory = directory or EXPORTS
    saved = []
    for attachment in reply.attachments:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / Path(attachment.filename).name        # never outside the folder
        path.write_bytes(attachment.data)
        saved.append(path)
    return saved
