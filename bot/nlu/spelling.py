"""Title words mistyped ("managment", "diplmoa", "buisness"), read as the words the qualification titles use,
so a hint such as "diploma in managment" names the Diploma in Management as it would spelt right.

Only words of six letters or more that no qualification title uses are corrected, and only to the one title
word they are a typo of (``knowledge.titles.misspelt``, the rule qualification names typed in a roster are
read by): ordinary words stay as typed.
The corrected text comes with a map back to the typed one, so what it names is found where it was typed.
"""

from __future__ import annotations

import functools
import re

from knowledge.kb import KnowledgeBase
from knowledge.titles import misspelt

MIN_LENGTH = 6            # shorter words are too easily another word ("level" / "lever")
_WORD = re.compile(r"[A-Za-z]+")


@functools.cache
def title_vocabulary(kb: KnowledgeBase) -> tuple[str, ...]:
    words = {w for q in kb.qualifications.values() for w in _WORD.findall(q.title.lower()) if len(w) >= MIN_LENGTH}
    return tuple(sorted(words))


def corrected(text: str, kb: KnowledgeBase) -> tuple[str, list[int]]:
    """``text`` with mistyped title words spelt as the titles spell them, and for each character of the result
    the index of the typed character it stands for (one past the end included)."""
    vocabulary = title_vocabulary(kb)
    out: list[str] = []
    where: list[int] = []
    last = 0
    for m in _WORD.finditer(text):
        word = m.group(0).lower()
        if len(word) < MIN_LENGTH or word in vocabulary:
            continue
        found = [t for t in vocabulary if misspelt(word, t)]
        if len(found) != 1:
            continue            # no title word, or two, within a typo: left as typed
        out.append(text[last:m.start()])
        where += range(last, m.start())
        out.append(found[0])
        # Every character of the correction stands for the typed word's span: its start, then its end.
        where += [m.start()] * (len(found[0]) - 1) + [m.end() - 1]
        last = m.end()
    out.append(text[last:])
    where += range(last, len(text) + 1)
    return "".join(out), where
