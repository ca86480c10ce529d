"""Slot extraction: the units, criteria, learning outcomes and qualifications a message names.

Deterministic and fast (regular expressions plus the KB's word-level title matcher), so the
same text always yields the same references.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.kb import KnowledgeBase

_FULL_CODE = re.compile(r"\b(\d{4})\s*[-\u2013/ ]\s*(\d{3})\b")
# "AC2.2", "ac 2.2", "criterion 2.2", "assessment criteria 2,2" (a comma slips in on phones).
_AC_CUED = re.compile(
    r"\b(?:a\.?c\.?|criterion|criteria|assessment criterion|assessment criteria)\s*"
    r"(\d{1,2})\s*[.,]\s*(\d{1,2})\b", re.IGNORECASE)
# A bare "2.2": not part of a date (14.03.2027), an amount (£2.50), a percentage or a time (9.30am).
_AC_BARE = re.compile(r"(?<![\d.,/:£$])\b(\d{1,2})\.(\d{1,2})\b(?![.,]?\d)(?!\s*(?:%|am\b|pm\b|per\b))",
                      re.IGNORECASE)
_LO = re.compile(r"\b(?:lo|l\.o\.|learning\s+outcome|outcome)\s*(\d{1,2})\b", re.IGNORECASE)
_UNIT_CUE = r"(?:unit|module)"
_SHORT = re.compile(
    r"(?<![\d,.£$])\b(\d{3})\b(?![.,]\d)"
    r"(?!\s*(?:words?\b(?!\s*count)|(?:marks?|minutes?|mins?|hours?|hrs?|credits?|pounds|people|learners|k)\b|%))",
    re.IGNORECASE)
_CUED_NUMBER = re.compile(_UNIT_CUE + r"\s*(?:no\.?|number)?\s*(\d{1,4})\b", re.IGNORECASE)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
             "eighth": 8, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "last": -1}
_ORDINAL = re.compile(r"\b(" + "|".join(_ORDINALS) + r")\b(?:\s+one)?", re.IGNORECASE)
_CHOICE_NUMBER = re.compile(r"^\s*(?:(?:number|no\.?|option|choice)\s*)?(\d{1,2})\s*[.)!]?\s*$", re.IGNORECASE)
# Phrases that belong to questions although their words appear in unit titles
# ("guided learning hours" is not the "Enabling Learning" unit).
_QUESTION_PHRASES = re.compile(
    r"guided learning(?: hours)?|learning outcomes?|word count|assessment criteri(?:a|on)|"
    r"total qualification time|professional discussion|witness testimony|reflective account|"
    r"prior learning|end[ -]point assessment|tutorial support|support hours|induction|registration|"
    r"rules? of combination|evidence matrix|work products?", re.IGNORECASE)
_NEXT = re.compile(r"\b(next|following)\b", re.IGNORECASE)
_PREVIOUS = re.compile(r"\b(previous|last one|one before)\b", re.IGNORECASE)

# Qualification hints, most specific first. Each maps to the qualification ids it narrows to.
QUALIFICATION_HINTS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), ids) for pattern, ids in (
        (r"\b(?:level|lvl|l)\s*6\s+award(?: in management)?\b|\baward in management\b", ("l6-management-award",)),
        (r"\b(?:level|lvl|l)\s*6\s+diploma in management\b|\bdiploma in management\b",
         ("l6-management-diploma",)),
        (r"\b8316\b|\b(?:level|lvl|l)\s*6\s+management\b", ("l6-management-award", "l6-management-diploma")),
        (r"\bschool business management\b|\bsbm\b|\b8631\b|\b(?:level|lvl|l)\s*6\s+sbm\b", ("l6-sbm-diploma",)),
        (r"\bschool business leaders?\b|\bsbl\b|\b8391\b|\b(?:level|lvl|l)\s*5\b", ("l5-sbl-diploma",)),
        (r"\bsenior leaders?\b|\b8431\b|\b(?:level|lvl|l)\s*7\b|\bslda\b|\bsenior leader apprenticeship\b",
         ("l7-senior-leaders-diploma",)),
        (r"\b(?:level|lvl|l)\s*6\b",
         ("l6-sbm-diploma", "l6-management-award", "l6-management-diploma")),
    )
)


@dataclass
class References:
    """What a message names. Codes are full unit codes; ``unknown_units`` were named but don't exist."""

    units: list[str] = field(default_factory=list)
    unknown_units: list[str] = field(default_factory=list)
    title_units: list[tuple[str, float]] = field(default_factory=list)
    ac: str | None = None
    lo: int | None = None
    qualifications: list[str] = field(default_factory=list)
    choice_number: int | None = None
    relative: str | None = None        # "next" or "previous"
    remainder: str = ""
    without_hints: str = ""            # the text with qualification hints taken out (for word search)

    @property
    def names_a_unit(self) -> bool:
        return bool(self.units or self.unknown_units or self.title_units)


def _qualification_hints(text: str) -> tuple[list[str], str]:
    """The qualifications the first matching hint names, and the text with every hint taken out
    ("level 6 school business management" names one qualification twice)."""
    ids: list[str] = []
    for pattern, named in QUALIFICATION_HINTS:
        if pattern.search(text):
            ids = ids or list(named)
            text = pattern.sub(" ", text)
    return ids, text


def extract(text: str, kb: KnowledgeBase, question_words: frozenset[str] = frozenset()) -> References:
    """The references in ``text``.

    ``question_words`` are words that belong to questions rather than to unit titles
    ("evidence", "enough", "credits"); they are removed before titles are matched, so that
    "what evidence does the finance unit need" matches on "finance" alone.
    """
    refs = References()
    rest = text
    m = _CHOICE_NUMBER.match(text)
    if m:
        refs.choice_number = int(m.group(1))
    ordinal = _ORDINAL.search(text)
    if ordinal and refs.choice_number is None and not _AC_BARE.search(text):
        refs.choice_number = _ORDINALS[ordinal.group(1).lower()]

    refs.qualifications, rest = _qualification_hints(rest)
    refs.without_hints = rest

    for m in _FULL_CODE.finditer(text):
        code = f"{m.group(1)}-{m.group(2)}"
        (refs.units if kb.unit(code) else refs.unknown_units).append(code)
    rest = _FULL_CODE.sub(" ", rest)

    ac = _AC_CUED.search(rest) or _AC_BARE.search(rest)
    if ac:
        refs.ac = f"{int(ac.group(1))}.{int(ac.group(2))}"
        rest = rest[:ac.start()] + " " + rest[ac.end():]
    lo = _LO.search(rest)
    if lo:
        refs.lo = int(lo.group(1))
        rest = rest[:lo.start()] + " " + rest[lo.end():]

    if not refs.units and not refs.unknown_units:
        for m in _CUED_NUMBER.finditer(rest):
            number = m.group(1)
            if len(number) == 3 and kb.units_by_short_code(number):
                continue                   # read below with the other short codes
            refs.unknown_units.append(number)
        for m in _SHORT.finditer(rest):
            matches = kb.units_by_short_code(m.group(1))
            refs.units.extend(u.code for u in matches if u.code not in refs.units)
        rest = _SHORT.sub(" ", _CUED_NUMBER.sub(" ", rest))

    if _NEXT.search(rest):
        refs.relative = "next"
    elif _PREVIOUS.search(rest):
        refs.relative = "previous"

    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'\-]*", _QUESTION_PHRASES.sub(" ", rest))
             if w.lower().strip("'") not in question_words]
    refs.remainder = " ".join(words)
    if not refs.units and refs.remainder:
        found = [(u.code, score) for u, score in kb.find_units(refs.remainder)]
        if refs.qualifications:
            # Title words that name a unit of another qualification than the one named are chance
            # ("RPL on the level 7? I did an MBA module on strategy").
            found = [(c, s) for c, s in found if set(kb.units[c].qualifications) & set(refs.qualifications)]
        refs.title_units = found
    return refs
