"""Questions people ask about the qualification rules, each labelled with the statements that answer it —
or with none, a near miss the specification is silent on ("asked/*.jsonl": written from the specifications
by people who never saw the bot or its test sets, in learners' own words).

Statements are written in the specification's words and learners ask in theirs ("can my tutor tweak the
brief to fit our trust?" of a statement on adapting assignments), so word search alone misses many. Word
search (``knowledge.search``) therefore indexes each statement together with the questions asked of it: a
new question finds the statement through words learners used of it before (document expansion, as in
doc2query). Cross-validated on these questions (``python -m tests.eval.asked_cv``).

The near misses say what the specifications are silent on, phrased as near as can be to what they answer
("can my registration be extended?" beside "how long does registration last?"). Each asked question is also
searched on its own (``SearchIndex.nearest``): a rules question nearer a near miss than to any statement and
to every answered question is declined (``intents.rules``). A nearest-question vote deciding the answer
itself was tried on the first 1,090 questions and measured no better than word search, so the statements'
words still choose the answer.

Written in rounds: the first 1,090 questions (``l5``, ``l6m``, ``l6sbm``, ``l7``), then 1,874 more (``*_b``:
two further questions for every statement and about 40 near misses a specification; ``*_c``: a third
round for two specifications), then 326 about the facts each specification states and the things around
them it doesn't (``*_d``: registration, induction, tutorials, entry …; two thirds of them near misses);
all by helpers working from the specifications alone. The second round raised the first round's
cross-validated answers from 530 to 632 of 959; the fourth raised the first three rounds' near misses
declined from 249 to 259 of 368, answers 1,823 to 1,827 of 2,596 (``python -m tests.eval.asked_cv
--tested FILES``).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
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
    file: str = ""                # the file it was read from ("l7"), so one batch can be held out of a test


def document_number(document: str) -> str:
    """A source document's number ("004_b41f7af1a8dc27ae.txt" → "004"), as the questions name it."""
    return document[:3]


@functools.cache
def read_asked(folder: Path = ASKED_DIR) -> tuple[Asked, ...]:
    """Every question in ``folder``'s files, read once per process (the word search of every dialogue and
    ``kb check`` read them). A near miss names no statement: its file's statements say which specification
    it was asked of."""
    out: list[Asked] = []
    for path in sorted(folder.glob("*.jsonl")):
        rows: list[tuple[str, str | None, tuple[int, ...], str | None]] = []
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
            rows.append((raw["question"], documents.pop() if documents else None,
                         tuple(int(m.group(2)) for m in ids if m), raw.get("absent")))
        named = next((document for _, document, _, _ in rows if document), None)
        if named is None and rows:
            raise ValueError(f"{path.name}: no statement ids, so no specification")
        out += [Asked(question, document or named, lines, absent, path.stem)  # type: ignore[arg-type]
                for question, document, lines, absent in rows]
    return tuple(out)


FOLDS = 5


def fold(asked: Sequence[Asked], n: int, folds: int = FOLDS) -> tuple[list[Asked], list[Asked]]:
    """The ``n``-th of ``folds`` cross-validation splits of ``asked``: (the questions a bot is given, the ones it is
    asked), every ``folds``-th question held out (``tests.eval.asked_cv``, ``intents.answerable_train``)."""
    return [a for i, a in enumerate(asked) if i % folds != n], list(asked[n::folds])
