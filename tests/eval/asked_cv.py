"""Cross-validating rule answers on the questions asked of the statements (``knowledge/asked``): each fold's
questions are asked of a bot whose word search holds only the other folds' questions. An answered question
is right when the reply is an answer quoting a statement it was labelled with; a near miss when the reply
declines. ``ASKED_COLUMN`` (``knowledge.search``) was chosen here, never on the held-out sets.

``python -m tests.eval.asked_cv`` (part of ``make eval``); ``--misses`` lists what went wrong;
``--without`` runs the bot with an empty index (word search alone), the baseline; ``--tested l5,l7`` asks
only the questions of those files, every other file's questions always in the index (what a batch of
questions adds, measured on the others).
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from itertools import repeat
from multiprocessing import get_context

from adapters.compose import make_dialogue
from bot.store import open_store
from bot.types import Message
from knowledge.asked import FOLDS, Asked, document_number, read_asked
from knowledge.asked import fold as split
from knowledge.kb import KnowledgeBase, load_kb
from knowledge.search import SearchIndex

# How a learner names each qualification in passing, so the question reaches that qualification's rules.
_NAMED = {"l5-sbl-diploma": "level 5 SBL", "l6-management-award": "L6 award in management",
          "l6-management-diploma": "L6 diploma in management", "l6-sbm-diploma": "L6 SBM diploma",
          "l7-senior-leaders-diploma": "level 7 senior leaders"}


def _fold(kb: KnowledgeBase, fold: int, asked: list[Asked], always: list[Asked],
          without: bool) -> tuple[Counter[str], Counter[str], list[str]]:
    """One fold: its questions asked of a bot whose index holds the other folds' (and ``always``)."""
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    misses: list[str] = []
    texts = {(document_number(r.source.document), r.source.line): r.text for r in kb.rules if r.source}
    given, test = split(asked, fold)
    train = [] if without else given + always
    dialogue = make_dialogue(kb, open_store(None), search=SearchIndex(kb, asked=train))
    for n, a in enumerate(test):
        q = kb.asked_of(a)
        replies = dialogue.handle(Message("eval:asked", f"cv{fold}:{n}", f"{_NAMED[q]} - {a.question}", "console"))
        kind = "answered" if a.lines else "near miss"
        total[kind] += 1
        head = replies[0].text()
        if a.lines:
            ok = replies[0].kind == "answer" and any(texts.get((a.document, line), "\0")[:60] in head
                                                     for line in a.lines)
        else:
            ok = replies[0].kind == "decline"
        right[kind] += ok
        if not ok:
            misses.append(f"{kind}: {a.question!r} ({q}) → {replies[0].kind} [{replies[0].intent}/{replies[0].facet}]: "
                          f"{head[:120]!r}")
    return right, total, misses


def run(kb: KnowledgeBase, without: bool = False,
        tested: set[str] | None = None) -> tuple[Counter[str], Counter[str], list[str]]:
    everything = read_asked()
    asked = [a for a in everything if tested is None or a.file in tested]
    always = [a for a in everything if tested is not None and a.file not in tested]
    # The folds are independent: one process each, as many at once as there are cores (forked, so they share
    # the loaded KB and whatever a caller set on the modules).
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1, mp_context=get_context("fork")) as pool:
        results = list(pool.map(_fold, repeat(kb), range(FOLDS), repeat(asked), repeat(always), repeat(without)))
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    misses: list[str] = []
    for r, t, m in results:
        right += r
        total += t
        misses += m
    return right, total, misses


def main(argv: list[str]) -> int:
    kb = load_kb()
    tested = set(argv[argv.index("--tested") + 1].split(",")) if "--tested" in argv else None
    right, total, misses = run(kb, without="--without" in argv, tested=tested)
    label = "word search alone" if "--without" in argv else f"{FOLDS}-fold cross-validation"
    if tested:
        label += f"; asked only of {', '.join(sorted(tested))}, every other file in the index"
    print(f"rule questions asked of the statements ({label}, knowledge/asked)")
    for kind in ("answered", "near miss"):
        print(f"  {kind:10} {right[kind]}/{total[kind]}  {right[kind] / max(total[kind], 1):.1%}")
    print(f"  overall    {sum(right.values())}/{sum(total.values())}  "
          f"{sum(right.values()) / max(sum(total.values()), 1):.1%}")
    if "--misses" in argv:
        for m in misses:
            print("  miss:", m)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
