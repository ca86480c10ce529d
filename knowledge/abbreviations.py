"""Abbreviations the specifications define themselves ("Guided Learning Hours (GLH)", "End-Point
Assessment (EPA)"), found with the Schwartz & Hearst algorithm (2003): for each parenthesised short form,
the shortest run of preceding words whose letters spell it, right to left, the first letter starting a
word. A question that says "AC" or "EPA" is then searched with the words the documents use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_SHORT = re.compile(r"\(([A-Z][A-Za-z]{1,7})\)")
_WORD = re.compile(r"[\w'’-]+")


def _long_form(short: str, words: list[str]) -> str | None:
    """The shortest tail of ``words`` that spells ``short`` (Schwartz & Hearst's best long form)."""
    letters = [c.lower() for c in short if c.isalnum()]
    limit = min(len(letters) + 5, len(letters) * 2)
    text = " ".join(words[-limit:]).lower()
    s, t = len(letters) - 1, len(text) - 1
    while s >= 0:
        c = letters[s]
        # Each letter from the right; the first one must also start a word.
        while t >= 0 and (text[t] != c or (s == 0 and t > 0 and text[t - 1].isalnum())):
            t -= 1
        if t < 0:
            return None
        s, t = s - 1, t - 1
    start = text.rfind(" ", 0, t + 1) + 1
    found = text[start:].strip(" '’\"-")
    return found if len(found.split()) >= 2 or "-" in found else None


def find_abbreviations(texts: Iterable[str]) -> dict[str, str]:
    """``{short form, lower case: long form, lower case}`` for every definition in ``texts``; a short form
    defined two ways keeps the first. Plural short forms ("KSBs") are filed under the singular too."""
    found: dict[str, str] = {}
    for text in texts:
        for m in _SHORT.finditer(text):
            short = m.group(1)
            if sum(c.isupper() for c in short) < 2:
                continue          # "(see)" or "(Level)" is not an abbreviation
            long = _long_form(short.rstrip("s"), _WORD.findall(text[:m.start()]))
            if long is None:
                continue
            for key in {short.lower(), short.rstrip("s").lower()}:
                found.setdefault(key, long)
    return found


def expand(text: str, abbreviations: dict[str, str]) -> str:
    """``text`` with each defined short form followed by its long form, "EPA (end-point assessment)":
    the documents use one or the other ("AC1.2" stays as it is: it is a reference)."""
    def one(m: re.Match[str]) -> str:
        long = abbreviations.get(m.group(0).lower())
        return f"{m.group(0)} ({long})" if long else m.group(0)
    return re.sub(r"(?<![\w.])[A-Za-z]{2,8}(?![\w.])", one, text)
