"""Every criterion of the KB, named the ways people name it, resolves to the same (unit, AC).

Variants: the AC as "AC2.2", "2.2", "criterion 2.2", "LO2 AC2", "ac 2.2"; the unit by full code, by short
code where that alone is unambiguous for the criterion, by ILM unit number, by its title (also lower case
and with a typo); upper and lower case.
"""

from __future__ import annotations

import re

import pytest

from adapters.compose import make_dialogue
from bot.store import open_store
from bot.types import Message
from knowledge.kb import KnowledgeBase
from knowledge.model import Unit

_QUESTION = "what evidence does {unit} {ac} need?"


def ac_forms(ac: str) -> list[str]:
    lo, n = ac.split(".")
    return [f"AC{ac}", ac, f"criterion {ac}", f"LO{lo} AC{n}", f"ac {ac}"]


def _typo(title: str) -> str:
    """One slip in the longest word of the title (two letters swapped), as people type."""
    words = title.split()
    i = max(range(len(words)), key=lambda k: len(words[k]))
    w = words[i]
    words[i] = w[:2] + w[3] + w[2] + w[4:] if len(w) > 5 else w
    return " ".join(words)


def unit_forms(kb: KnowledgeBase, unit: Unit, ac: str) -> list[str]:
    forms = [unit.code, f"unit {unit.code}"]
    sharing = [u for u in kb.units_by_short_code(unit.short_code) if u.criterion(ac)]
    if len(sharing) == 1:
        forms += [unit.short_code, f"unit {unit.short_code}"]
    for ref in unit.reference_numbers:
        if re.fullmatch(r"[A-Z]\d\.\d{2}", ref.get("value") or ""):
            forms.append(ref["value"])
    titled = [u for u in kb.units.values() if u.title.lower() == unit.title.lower()]
    if len(titled) == 1:
        forms += [unit.title, unit.title.lower(), _typo(unit.title)]
    return forms


def cases(kb: KnowledgeBase) -> list[tuple[str, str, str]]:
    out = []
    for unit in sorted(kb.units.values(), key=lambda u: u.code):
        for c in unit.criteria:
            forms = unit_forms(kb, unit, c.id)
            for n, ac in enumerate(ac_forms(c.id)):
                # Every AC form once, every unit form once, both orders and both cases, for every criterion.
                text = _QUESTION.format(unit=forms[n % len(forms)], ac=ac)
                out.append((text.upper() if n % 2 else text, unit.code, c.id))
            out += [(f"{form} {c.id} - what do they want?", unit.code, c.id) for form in forms[len(ac_forms(c.id)):]]
    return out


def test_every_criterion_resolves_in_every_form(kb, search_index) -> None:
    dialogue = make_dialogue(kb, open_store(None), search=search_index)
    failures = []
    all_cases = cases(kb)
    assert len(all_cases) >= 5 * len(kb.all_criteria())
    for n, (text, unit, ac) in enumerate(all_cases):
        reply = dialogue.handle(Message("console:p", f"p{n}", text, "console"))[0]
        if reply.kind != "answer" or (unit, ac) not in [(r.unit, r.ac) for r in reply.refs]:
            failures.append(f"{text!r} → {reply.kind} {[(r.unit, r.ac) for r in reply.refs]}")
    assert not failures, f"{len(failures)} of {len(all_cases)}:\n" + "\n".join(failures[:40])


@pytest.mark.parametrize("title", ["Managing School Finances", "Critical thinking and research skills in management"])
def test_typos_in_titles_stay_readable(title) -> None:
    assert _typo(title) != title and len(_typo(title)) == len(title)
