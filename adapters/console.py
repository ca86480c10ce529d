"""The console: a local conversation on the bundled KB, no tokens needed.

Until the dialogue core lands, the console answers unit and criterion look-ups ("501",
"8391-501 2.2", "finance 1.3") and word searches over the specifications' rules.
"""

from __future__ import annotations

import re
import sys
from typing import TextIO

from knowledge.describe import describe_criterion, describe_unit
from knowledge.kb import KnowledgeBase
from knowledge.search import SearchIndex

_AC = re.compile(r"\b(?:ac\s*)?(\d{1,2}\.\d{1,2})\b", re.IGNORECASE)

WELCOME = (
    "AssessBot console — knowledge-base look-up.\n"
    "Type a unit (\"8391-501\", \"501\", \"finance\"), a unit and criterion (\"501 2.2\"),\n"
    "or words to search the specifications (\"witness testimony\"). \"quit\" to leave."
)


def answer(kb: KnowledgeBase, index: SearchIndex, text: str) -> str:
    """The console's reply to one line."""
    ac_match = _AC.search(text)
    unit_text = _AC.sub(" ", text).strip()
    units = [u for u, _ in kb.find_units(unit_text)] if unit_text else []
    if ac_match and not units:
        fits = kb.units_with_criterion(ac_match.group(1))
        if not fits:
            return f"No unit has a criterion {ac_match.group(1)}."
        return "Which unit? " + "; ".join(f"{u.code} {u.title}" for u in fits)
    if len(units) > 1 and not re.search(r"\d{4}-\d{3}", text):
        return "That fits several units: " + "; ".join(f"{u.code} {u.title}" for u in units)
    if units:
        unit = units[0]
        if not ac_match:
            return describe_unit(kb, unit)
        criterion = unit.criterion(ac_match.group(1))
        if criterion is None:
            return f"Unit {unit.code} has no criterion {ac_match.group(1)}."
        return describe_criterion(kb, unit, criterion)
    hits = index.search(text, limit=3)
    if not hits:
        return ("I couldn't find that in the specifications. Your tutor will know — "
                "it's worth asking them.")
    lines = []
    for h in hits:
        where = f"{h.unit} AC{h.ac}" if h.ac else (h.unit or kb.qualifications[h.qualification].title)
        lines.append(f"- {h.text} ({where})")
    return "From the specifications:\n" + "\n".join(lines)


def run_console(kb: KnowledgeBase, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    index = SearchIndex(kb)
    print(WELCOME, file=stdout)
    while True:
        print("> ", end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line or line.strip().lower() in {"quit", "exit", "bye"}:
            print("Goodbye — good luck with your portfolio.", file=stdout)
            return 0
        if line.strip():
            print(answer(kb, index, line.strip()), file=stdout)
