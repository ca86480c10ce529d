"""Title words mistyped ("managment", "diplmoa", "buisness"), read as the words the qualification titles use,
so a hint such as "diploma in managment" names the Diploma in Management as it would spelt right.

Only words of six letters or more that no qualification title uses are corrected, and only to a title word
they are within a typo of (rapidfuzz ratio), clearly closer than to any other: ordinary words stay as typed.
The corrected text comes with a map back to the typed one, so what it names is found where it was typed.
"""

from __future__ import annotations

import functools
import re

from rapidfuzz import fuzz, process

from knowledge.kb import KnowledgeBase

TYPO_SIMILARITY = 85      # ratio at which a word is the title word mistyped
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
        found = process.extract(word, vocabulary, scorer=fuzz.ratio, limit=2)
        if not found or found[0][1] < TYPO_SIMILARITY or (len(found) > 1 and found[1][1] >= found[0][1] - 5):
            continue
        out.append(text[last:m.start()])
        where += range(last, m.start())
        out.append(found[0][0])
        # Every character of the correction stands for the typed word's span: its start, then its end.
        where += [m.start()] * (len(found[0][0]) - 1) + [m.end() - 1]
        last = m.end()
    out.append(text[last:])
    where += range(last, len(text) + 1)
    return "".join(out), where
