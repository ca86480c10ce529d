"""Questions people ask about the qualification rules, each labelled with the statements that answer it —
or with none, a near miss the specification is silent on ("asked/*.jsonl": written from the specifications
by people who never saw the bot or its test sets, in learners' own words).

Statements are written in the specification's words and learners ask in theirs ("can my tutor tweak the
brief to fit our trust?" of a statement on adapting assignments), so word search alone misses many. Word
search (``knowledge.search``) therefore indexes each statement together with the questions asked of it: a
new question finds the statement through words learners used of it before (document expansion, as in
doc2query). Cross-validated on these questions (``python -m tests.eval.asked_cv``).

The near misses are kept for measuring declines; a nearest-question vote (kNN) on them and on the answered
questions was tried and measured no better than word search, so it is not used.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

ASKED_DIR = Path(__file__).resolve().parent / "asked"
_ID = re.compile(r"^(\d{3}):L(\d+)$")


@dataclass(frozen=True)
class Asked:
    question: str
    document: str                 # the specification it was asked of: its file's number ("004")
    lines: tuple[int, ...]        # the lines of the statements that answer it; () for a near miss
    absent: str | None = None     # for a near miss: what the specification doesn't say


def document_number(document: str) -> str:
    """A source document's number ("004_b41f7af1a8dc27ae.txt" → "004"), as the questions name it."""
    return document[:3]


def read_asked(folder: Path = ASKED_DIR) -> list[Asked]:
    out = []
    for path in sorted(folder.glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            raw = json.loads(line)
            ids = [_ID.match(i) for i in raw["rules"]]
            if not all(ids):
                raise ValueError(f"{path.name} line {n}: a statement id is not like '004:L455': {raw['rules']}")
            documents = {m.group(1) for m in ids if m}
            if len(documents) > 1:
                raise ValueError(f"{path.name} line {n}: statements of more than one specification")
            document = documents.pop() if documents else _near_miss_document(path)
            out.append(Asked(raw["question"], document, tuple(int(m.group(2)) for m in ids if m),
                             raw.get("absent")))
    return out


def _near_miss_document(path: Path) -> str:
    # A near miss names no statement: its file says which specification it was asked of (the first line
    # with an id does).
    for line in path.read_text(encoding="utf-8").splitlines():
        ids = json.loads(line)["rules"] if line.strip() else []
        if ids:
            return ids[0][:3]
    raise ValueError(f"{path.name}: no statement ids, so no specification")
