"""Text helpers shared by the specification importers.

The sources are Word documents flattened to text: table cells become tab-indented lines,
headings carry ``[bookmark: …]`` debris and wrapped cells continue on the next line. These
helpers normalise a line without rewording it, so that the KB stays verbatim, and read the
facts a line states: numbers, minimum counts, "may" advice, word counts, timings, KSB codes and
the kind of assessment it names. Layout (cells, tables, sections) is ``reader`` and its kin.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_SPACES = re.compile(r"[ \t\u00a0]+")

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twelve": 12,
}


# A spelled-out or printed number in a pattern: "three years", "36 months".
NUMBER = r"(\d+|" + "|".join(NUMBER_WORDS) + r")"
_BULLET = re.compile(r"^[·•]\s*")


def clean(line: str) -> str:
    """One source line without bookmark debris, tabs or repeated spaces (wording untouched)."""
    return _SPACES.sub(" ", _BOOKMARK.sub("", line)).strip()


def strip_bullet(text: str) -> str:
    """A list item without its bullet character (a list marker, not wording)."""
    return _BULLET.sub("", text)


def number(text: str) -> int | None:
    """"1,001" → 1001, "three" → 3; None when the text is not a number."""
    t = text.strip().lower().replace(",", "")
    if t.isdigit():
        return int(t)
    return NUMBER_WORDS.get(t)


def first_int(text: str) -> int | None:
    """The first run of digits in ``text`` ("8 credits" → 8), or None."""
    m = re.search(r"\d+", text)
    return int(m.group()) if m else None


def months(n: int, unit: str) -> int:
    """A period in months: ``(3, "years")`` → 36, ``(18, "months")`` → 18."""
    return n * 12 if unit.lower().startswith("year") else n


def assessment_kind(candidates: Sequence[Sequence[str]], words: Sequence[tuple[str, str]]) -> str:
    """The kind of assessment the first text naming one names: the earliest of ``words`` in it.

    ``candidates`` are tried in order (a title before its description lines); ``words`` are
    ``(word, kind)`` pairs; "other" when no text names a kind.
    """
    for texts in candidates:
        for text in texts:
            low = text.lower()
            hits = [(low.find(word), kind) for word, kind in words if word in low]
            if hits:
                return min(hits)[1]
    return "other"


def read_lines(path: Any) -> list[str]:
    """The document's raw lines; index ``i`` is source line ``i + 1``."""
    with open(path, encoding="utf-8") as handle:
        return handle.read().splitlines()


# "at least two models", "a minimum of three examples", "at least one theory/model of culture"
_COUNT_WORD = r"\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve"
_MIN_COUNT = re.compile(
    r"(?:\b(?:at least|a minimum of|minimum of|no fewer than)\s+(?P<n>" + _COUNT_WORD + r")"
    r"|\b(?P<n2>" + _COUNT_WORD + r")\s+or\s+more)\s+"
    # The phrase is a lookahead so that "two strategies to overcome at least two barriers"
    # yields both counts.
    r"(?:\([^)]*\)\s+)?(?=(?P<rest>[^.,;:()]*))",
    re.IGNORECASE,
)
# Words that end the counted noun phrase ("two techniques *in* relation to …").
_PHRASE_END = frozenset(
    "in on to for that which who with from how when where by as within including giving using about "
    "into across between against at under over through via relating related required "
    "must should will would can could is are be was were been the a an their they it its this these "
    "those each per if so than then e.g. eg i.e. ie".split()
)
_PHRASE_JOINERS = frozenset({"of", "and", "or"})
# Verbs that start a new clause after "and"/"or" ("two opportunities and evaluate …").
_CLAUSE_VERBS = frozenset(
    "evaluate include explain analyse analyze describe identify show demonstrate make provide use "
    "produce develop carry give justify discuss compare assess consider review create implement plan "
    "reflect apply select link outline summarise present then how what why investigate recommend "
    "propose prepare monitor manage lead design establish communicate measure critically determine "
    "explore support ensure state list detail give".split()
)
# Words after the noun that qualify it ("tools suitable for …") rather than belong to it.
_POSTMODIFIERS = frozenset({"suitable", "appropriate", "available", "relevant", "required", "needed"})
_MAX_PHRASE_WORDS = 9


def _looks_plural(word: str) -> bool:
    return word.endswith("s") and not word.endswith(("ss", "us", "is", "ous"))


def _counted_noun(rest: str) -> str:
    """The noun phrase after a count: "pieces of legislation on how …" → "pieces of legislation"."""
    # "at least one of these conclusions" counts conclusions.
    rest = re.sub(r"^of\s+(?:these|the|those|their|its|your|his|her)\s+", "", rest.strip(), flags=re.I)
    words = rest.split()
    taken: list[str] = []
    for i, word in enumerate(words):
        low = word.lower()
        following = words[i + 1].lower() if i + 1 < len(words) else ""
        if low in _PHRASE_END or len(taken) >= _MAX_PHRASE_WORDS:
            break
        # A participle after a plural head starts a clause ("individuals making decisions"); after
        # an adjective it is part of the noun ("previous marketing activities").
        participle = low.endswith("ing") and taken and _looks_plural(taken[-1].lower())
        if taken and (low in _POSTMODIFIERS or participle or low in {"-", "\u2013", "\u2014"}):
            break
        if low in _PHRASE_JOINERS and (following in _CLAUSE_VERBS or following in _PHRASE_END
                                       or following.endswith("ly") or following in NUMBER_WORDS):
            break
        taken.append(word)
    while taken and taken[-1].lower() in _PHRASE_JOINERS:   # never end on "of" / "and"
        taken.pop()
    return " ".join(taken)


# In a "must" sentence a spelled-out number states a count too: "must describe three examples".
_EXACT_COUNT = re.compile(
    # "the two strategies" refers back to a count already stated, so it is not read again.
    r"(?<!the )(?<!these )\b(?P<n>two|three|four|five|six|seven|eight|nine|ten|twelve)\s+(?!or\s+more)"
    r"(?=(?P<rest>[^.,;:()]*))",
    re.IGNORECASE,
)
_MUST = re.compile(r"\bmust\b", re.IGNORECASE)


def _count_matches(statement: str) -> list[tuple[str, str]]:
    """(number, phrase) pairs of one statement, in order of appearance."""
    spans = []
    for match in _MIN_COUNT.finditer(statement):
        spans.append((match.start(), match.group("n") or match.group("n2"), match.group("rest")))
    taken = {start for start, _, _ in spans}
    for sentence in _SENTENCE.split(statement):
        if not _MUST.search(sentence):
            continue
        offset = statement.find(sentence)
        for match in _EXACT_COUNT.finditer(sentence):
            start = offset + match.start()
            # Skip numbers already read as "at least N" / "N or more".
            if not any(s <= start <= s + len("a minimum of ") + 6 for s in taken):
                spans.append((start, match.group("n"), match.group("rest")))
    return [(n, rest) for _, n, rest in sorted(spans, key=lambda x: x[0])]


def min_counts(statements: list[str]) -> list[dict[str, Any]]:
    """Minimum counts stated in requirement lines: "at least two models" → ``{n: 2, what: "models"}``.

    ``what`` keeps the noun phrase as printed ("relevant theories and models", "pieces of
    legislation"), so an answer can quote it; duplicates are listed once, in order of first
    appearance.
    """
    found: list[dict[str, Any]] = []
    seen: set[tuple[int, str]] = set()
    for statement in statements:
        for raw_n, rest in _count_matches(statement):
            raw = raw_n.lower()
            n = int(raw) if raw.isdigit() else NUMBER_WORDS[raw]
            what = _counted_noun(rest)
            key = (n, what.lower())
            if what and key not in seen:
                seen.add(key)
                found.append({"n": n, "what": what})
    return found


_MAY = re.compile(r"\bmay\b", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def may_statements(lines: list[str]) -> list[str]:
    """The sentences of ``lines`` that say what a learner *may* do (advice, not requirement)."""
    out: list[str] = []
    for line in lines:
        for sentence in _SENTENCE.split(line):
            sentence = sentence.strip()
            if sentence and _MAY.search(sentence):
                out.append(sentence)
    return out


_NUM = r"(\d{1,2},?\d{3}|\d{3,5})"


def _int(text: str) -> int:
    return int(text.replace(",", ""))


def word_count(text: str) -> dict[str, int | None] | None:
    """Word-count limits in a line, or None when the line states none.

    "3,000 words (+/- 10%)" → nominal 3000, min 2700, max 3300;
    "2,500–3,000 words" / "between 2500 and 3000 words" → min 2500, max 3000;
    "maximum of 1,500 words" / "no more than 1500 words" → max 1500;
    "1,500 words" → nominal 1500.
    """
    t = text.replace("\u2013", "-").replace("\u2014", "-")
    m = re.search(_NUM + r"\s*(?:-|to|and)\s*" + _NUM + r"\s*words", t, re.IGNORECASE)
    if m:
        return {"nominal": None, "min": _int(m.group(1)), "max": _int(m.group(2))}
    m = re.search(r"(?:maximum of|max(?:imum)?\.?|no more than|up to|not exceed(?:ing)?)\s*" + _NUM
                  + r"\s*words", t, re.IGNORECASE)
    if m:
        return {"nominal": None, "min": None, "max": _int(m.group(1))}
    m = re.search(r"(?:minimum of|at least|no fewer than|no less than)\s*" + _NUM + r"\s*words", t,
                  re.IGNORECASE)
    if m:
        return {"nominal": None, "min": _int(m.group(1)), "max": None}
    m = re.search(_NUM + r"\s*words", t, re.IGNORECASE) or re.search(
        r"word\s*count(?:\s*(?:of|is|:))?\s*" + _NUM, t, re.IGNORECASE)
    if not m:
        return None
    nominal = _int(m.group(1))
    tol = re.search(r"(?:\+/-|\u00b1|plus or minus)\s*(\d{1,2})\s*%", t, re.IGNORECASE)
    if tol:
        pct = int(tol.group(1))
        return {"nominal": nominal, "min": round(nominal * (100 - pct) / 100),
                "max": round(nominal * (100 + pct) / 100)}
    return {"nominal": nominal, "min": None, "max": None}


def minutes(text: str) -> dict[str, int | None] | None:
    """Timing in minutes: "15 minutes" / "a 15-minute talk" → nominal 15; "10-15 minutes" → 10 to 15."""
    t = text.replace("\u2013", "-").replace("\u2014", "-")
    m = re.search(r"(\d{1,3})\s*(?:-|to)\s*(\d{1,3})[\s-]*min", t, re.IGNORECASE)
    if m:
        return {"nominal": None, "min": int(m.group(1)), "max": int(m.group(2))}
    m = re.search(r"(?:maximum of|no more than|up to|limited to|not exceed(?:ing)?)\s*(\d{1,3})[\s-]*min", t,
                  re.IGNORECASE)
    if m:
        return {"nominal": None, "min": None, "max": int(m.group(1))}
    m = re.search(r"(\d{1,3})[\s-]*min", t, re.IGNORECASE)
    if m:
        return {"nominal": int(m.group(1)), "min": None, "max": None}
    return None


_KSB = re.compile(r"\b([KSB]\d{1,2}(?:\.\d)?)\b")


def ksb_codes(text: str) -> list[str]:
    """KSB codes such as K10, S4.2, B5 in a line, in order, once each."""
    out: list[str] = []
    for code in _KSB.findall(text):
        if code not in out:
            out.append(code)
    return out
