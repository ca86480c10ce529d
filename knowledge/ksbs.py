"""The apprenticeship standard's knowledge, skills and behaviours (KSBs) as the criteria print them ("(K10)"):
a KSB code in a message is a reference, like an AC number, and the criteria that print it answer "which AC
covers K7?"."""

from __future__ import annotations

import functools
import re

from knowledge.kb import KnowledgeBase
from knowledge.model import Criterion, Unit

_CODE = re.compile(r"\b([KSB])(\d{1,2})\b", re.IGNORECASE)


@functools.cache
def printed_codes(kb: KnowledgeBase) -> frozenset[str]:
    """Every KSB code some criterion prints."""
    return frozenset(k for u in kb.units.values() for c in u.criteria for k in c.ksbs)


def codes_in(text: str, kb: KnowledgeBase) -> list[str]:
    """The KSB codes ``text`` names that some criterion prints, in order ("k7", "S03" → "K7", "S3")."""
    printed = printed_codes(kb)
    out: list[str] = []
    for m in _CODE.finditer(text):
        code = f"{m.group(1).upper()}{int(m.group(2))}"
        if code in printed and code not in out:
            out.append(code)
    return out


def criteria_covering(kb: KnowledgeBase, code: str, units: list[str] | None = None) -> list[tuple[Unit, Criterion]]:
    """The criteria that print ``code``, of ``units`` when given, in printed order."""
    return [(u, c) for u in kb.units.values() if units is None or u.code in units
            for c in u.criteria if code in c.ksbs]
