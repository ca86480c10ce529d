"""The console: a local conversation with the dialogue core, no tokens needed (``make chat``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from bot.dialogue import Dialogue
from bot.types import Message, Reply

WELCOME = (
    "AssessBot — ask about your qualification's units, criteria, evidence and rules.\n"
    "For example: “what evidence does 8391-501 AC2.2 need?”, “is one model enough for 1.3 in 8431-700?”,\n"
    "“tell me about unit 503”, “can I use witness testimony on the level 5?”. Type “quit” to leave."
)


def run_console(dialogue: Dialogue, person: str = "console:me", stdin: TextIO = sys.stdin,
                stdout: TextIO = sys.stdout) -> int:
    """A read–reply loop; the conversation (and its context) is the person's own."""
    print(WELCOME, file=stdout)
    conversation = f"console:{person}"
    while True:
        print("\n> ", end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line or line.strip().lower() in {"quit", "exit", "bye", "goodbye"}:
            print("Goodbye — good luck with your portfolio.", file=stdout)
            return 0
        if not line.strip():
            continue
        for reply in dialogue.handle(Message(person, conversation, line.rstrip("\n"), "console")):
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
