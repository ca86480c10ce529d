"""Citations: every answer says where it comes from (qualification, unit, AC, source line)."""

from __future__ import annotations

from knowledge.kb import KnowledgeBase
from knowledge.model import Criterion, LearningOutcome, Qualification, Rule, Unit


def qualification_titles(kb: KnowledgeBase, unit: Unit) -> str:
    return " / ".join(kb.qualifications[q].title for q in unit.qualifications if q in kb.qualifications)


def unit_label(unit: Unit) -> str:
    """The unit's code and title, as replies name it ("<code> <title>")."""
    return f"{unit.code} {unit.title}"


def cite_unit(kb: KnowledgeBase, unit: Unit) -> str:
    where = f", line {unit.source.line}" if unit.source else ""
    return f"{qualification_titles(kb, unit)}, unit {unit.code}{where}"


def cite_criterion(kb: KnowledgeBase, unit: Unit, criterion: Criterion) -> str:
    where = f", line {criterion.source.line}" if criterion.source else ""
    return f"{qualification_titles(kb, unit)}, {unit.code} AC{criterion.id}{where}"


def cite_lo(kb: KnowledgeBase, unit: Unit, lo: LearningOutcome) -> str:
    where = f", line {lo.source.line}" if lo.source else ""
    return f"{qualification_titles(kb, unit)}, {unit.code} LO{lo.number}{where}"


def cite_rules(qualification: Qualification, rules: list[Rule]) -> str:
    """"<title>, specification lines 412–418, 761": consecutive lines as a range, so a whole printed
    list is cited without a long run of numbers."""
    lines = sorted({r.source.line for r in rules if r.source})
    spans: list[list[int]] = []
    for line in lines:
        if spans and line == spans[-1][1] + 1:
            spans[-1][1] = line
        else:
            spans.append([line, line])
    where = ""
    if lines:
        where = f", specification line{'s' if len(lines) > 1 else ''} " + ", ".join(
            str(a) if a == b else f"{a}–{b}" for a, b in spans)
    return f"{qualification.title}{where}"
