"""Words as the suggestion ranking compares them: lower case, stop words dropped, Snowball-stemmed (so
"budgeting", "budgets" and "budget" meet), hyphenated words kept whole and in parts."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import snowballstemmer

from knowledge.stopwords import STOP_WORDS

_WORD = re.compile(r"[a-z][a-z'\u2019\-]*[a-z]|[a-z]")
# Words every piece of work and every criterion uses: they say nothing about which criterion fits.
_COMMON = frozenset("""
also been being just like made make making more most other some such very well work worked working
able across after again against all along already among another around because before between both
each even every few first get got going however including last less lot lots many may might must
new next now often one only over own part really same see since still take taken three two through
time under until upon used using way ways week weeks while within without year years
""".split())
_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def words(text: str) -> list[str]:
    """The content words of ``text``, in order, unstemmed (for quoting a phrase back)."""
    out: list[str] = []
    for token in _WORD.findall(text.lower().replace("\u2019", "'")):
        token = token.removesuffix("'s").strip("'")
        parts = [token, *token.split("-")] if "-" in token else [token]
        out.extend(p for p in parts if len(p) > 1 and p not in STOP_WORDS and p not in _COMMON)
    return out


def terms(text: str) -> list[str]:
    """The stems of ``text``'s content words, in order."""
    return [stem(w) for w in words(text)]


def bag(text: str) -> Counter[str]:
    return Counter(terms(text))
