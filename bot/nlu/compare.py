"""Comparisons between units: "which of them carries the most GLH?", "which level 5 unit has the least
guided learning hours?" — a superlative over a fact every unit states, asked of a set of units."""

from __future__ import annotations

import re
from dataclasses import dataclass

_FEWEST = r"fewest|least|lowest|smallest|shortest|minimum"
_MOST = r"most|highest|largest|biggest|longest|maximum|greatest"
_FACTS = (("glh", r"\bglh\b|guided learning|learning hours|\bhours\b"), ("credits", r"\bcredits?\b"))
_SUPERLATIVE = re.compile(rf"\b(?:the\s+)?(?P<way>{_FEWEST}|{_MOST})\b", re.IGNORECASE)
# The question asks for a unit ("which …", "what unit …"); "what's the most credits I can get?" asks a total.
_WHICH = re.compile(r"\bwhich\b|\bwhat (?:units?|modules?|ones?)\b", re.IGNORECASE)
# Words that point back to the units the last answer listed.
_BACK = re.compile(r"\b(?:those|these|them|they|ones|of the (?:optional|mandatory) (?:ones|units))\b", re.IGNORECASE)


@dataclass(frozen=True)
class Comparison:
    fact: str            # "credits" or "glh"
    fewest: bool         # the smallest value wanted, else the largest
    back: bool           # the message points back at units listed before ("which of those …")


def comparison(text: str) -> Comparison | None:
    """The comparison a message asks for, or None when it asks none."""
    way = _SUPERLATIVE.search(text)
    if not way or not _WHICH.search(text):
        return None
    fact = next((name for name, pattern in _FACTS if re.search(pattern, text, re.IGNORECASE)), None)
    if fact is None:
        return None
    return Comparison(fact, bool(re.fullmatch(_FEWEST, way.group("way").lower())), bool(_BACK.search(text)))


def listed_units(lines: list[str], known: set[str] | frozenset[str]) -> list[str]:
    """The unit codes a reply's lines list, in order, once each."""
    out: list[str] = []
    for line in lines:
        for code in re.findall(r"\b\d{4}-\d{3}\b", line):
            if code in known and code not in out:
                out.append(code)
    return out
