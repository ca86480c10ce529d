"""``assessbot ask``: one message, or JSON lines, in the JSON contract of ARCHITECTURE.md."""

from __future__ import annotations

import json
import uuid
from typing import Any, TextIO

from adapters.console import save_attachments
from bot.dialogue import Dialogue
from bot.types import Message, Reply


def merge(replies: list[Reply]) -> dict[str, Any]:
    """Several replies as one object: texts joined, the first reply's kind and intent, refs merged."""
    refs: list[dict[str, str | None]] = []
    for reply in replies:
        for ref in reply.refs:
            if ref.as_json() not in refs:
                refs.append(ref.as_json())
    first = replies[0]
    text = "\n\n".join(r.text() for r in replies)
    saved = [str(p) for r in replies for p in save_attachments(r)]
    if saved:
        text += "\n\nSaved: " + ", ".join(saved)
    return {"text": text, "kind": first.kind, "intent": first.intent, "refs": refs}


def ask_once(dialogue: Dialogue, text: str, person: str, as_json: bool, stdout: TextIO) -> int:
    # Each `ask` is a conversation of its own: nothing carries over between invocations.
    replies = dialogue.handle(Message(person, f"ask:{uuid.uuid4().hex}", text, "console"))
    if as_json:
        print(json.dumps(merge(replies), ensure_ascii=False), file=stdout)
    else:
        print("\n\n".join(r.text() for r in replies), file=stdout)
    return 0


def _error(message: str) -> dict[str, Any]:
    return {"text": message, "kind": "error", "intent": "bad_input", "refs": []}


def ask_jsonl(dialogue: Dialogue, stdin: TextIO, stdout: TextIO, default_person: str = "console:me") -> int:
    """One JSON object out per line in, in order; lines sharing a conversation share context."""
    run = uuid.uuid4().hex
    for number, line in enumerate(stdin, 1):
        if not line.strip():
            out = _error("Empty line: expected a JSON object with a “text”.")
        else:
            try:
                item = json.loads(line)
                if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                    raise ValueError("not an object with a text")
            except ValueError:
                out = _error(f"Line {number} is not a JSON object with a “text” string.")
            else:
                conversation = item.get("conversation")
                conversation = f"jsonl:{run}:{conversation}" if conversation else f"jsonl:{run}:line{number}"
                person = item.get("user") or default_person
                out = merge(dialogue.handle(Message(str(person), conversation, item["text"], "console")))
        print(json.dumps(out, ensure_ascii=False), file=stdout, flush=True)
    return 0
