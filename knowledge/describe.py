"""Plain-text descriptions of KB records, for ``assessbot kb show`` and the console."""

from __future__ import annotations

from knowledge.kb import KnowledgeBase
from knowledge.model import Assessment, Criterion, Qualification, Unit


def _bullets(title: str, lines: tuple[str, ...] | list[str]) -> list[str]:
    return [f"{title}:", *(f"  - {line}" for line in lines)] if lines else []


def qualification_names(kb: KnowledgeBase, unit: Unit) -> str:
    return "; ".join(kb.qualifications[q].title for q in unit.qualifications if q in kb.qualifications)


def describe_assessment(a: Assessment) -> str:
    parts = [f"{a.title} ({a.kind.replace('_', ' ')})"]
    wc = a.word_count or {}
    if wc.get("nominal") or wc.get("min") or wc.get("max"):
        words = []
        if wc.get("nominal"):
            words.append(f"{wc['nominal']:,} words")
        if wc.get("min") and wc.get("max"):
            words.append(f"{wc['min']:,}–{wc['max']:,} words")
        elif wc.get("max"):
            words.append(f"at most {wc['max']:,} words")
        elif wc.get("min"):
            words.append(f"at least {wc['min']:,} words")
        parts.append(", ".join(words))
    if a.timing_minutes:
        t = a.timing_minutes
        if t.get("nominal"):
            parts.append(f"{t['nominal']} minutes")
        elif t.get("min") and t.get("max"):
            parts.append(f"{t['min']}–{t['max']} minutes")
        elif t.get("max"):
            parts.append(f"up to {t['max']} minutes")      # a gap in the data never shows as "?"
        elif t.get("min"):
            parts.append(f"at least {t['min']} minutes")
    if a.weighting:
        parts.append(f"weighting {a.weighting}")
    if a.marks_available:
        marks = f"{a.marks_available} marks available"
        if a.min_marks:
            marks += f", at least {a.min_marks} needed"
        parts.append(marks)
    return "; ".join(parts)


def describe_unit(kb: KnowledgeBase, unit: Unit) -> str:
    facts = [f"Level {unit.level}"]
    if unit.credits is not None:
        facts.append(f"{unit.credits} credits")
    if unit.glh is not None:
        facts.append(f"{unit.glh} guided learning hours")
    lines = [f"Unit {unit.code} — {unit.title}", ", ".join(facts),
             f"Qualifications: {qualification_names(kb, unit)}"]
    if unit.aim:
        lines.append(f"Aim: {unit.aim}")
    for lo in unit.learning_outcomes:
        lines.append(f"LO{lo.number}: {lo.text}")
        lines += [f"  {c.id} {c.text}" for c in unit.criteria if c.lo == lo.number]
    lines += _bullets("Assessment", [describe_assessment(a) for a in unit.assessment])
    lines += _bullets("Suggested evidence", list(unit.evidence))
    if unit.source:
        lines.append(f"Source: {unit.source.cite()}")
    return "\n".join(lines)


def describe_criterion(kb: KnowledgeBase, unit: Unit, c: Criterion) -> str:
    lines = [f"{unit.code} {unit.title} — AC{c.id} (LO{c.lo})", f"“{c.text}”"]
    lines += _bullets("Requirements", list(c.requirements))
    lines += _bullets("Depth", list(c.depth))
    lines += _bullets("Advice", list(c.advice))
    if c.min_counts:
        lines.append("Minimum counts: " + ", ".join(f"{m.n} {m.what}" for m in c.min_counts))
    if c.ksbs:
        lines.append("KSBs: " + ", ".join(c.ksbs))
    lines += _bullets("Suggested evidence", list(c.evidence))
    cite = f"{qualification_names(kb, unit)}, unit {unit.code}, AC{c.id}"
    if c.source:
        cite += f" ({c.source.cite()})"
    lines.append(f"Source: {cite}")
    return "\n".join(lines)


def describe_qualification(kb: KnowledgeBase, q: Qualification) -> str:
    numbers = ", ".join(f"{n['value']}" + (f" ({n['note']})" if n.get("note") else "") for n in q.numbers)
    validity = (f"{q.registration_validity_months} months" if q.registration_validity_months
                else "not stated in the specification")
    lines = [q.title, f"Level {q.level}; numbers: {numbers or 'none printed'}",
             f"Credits: {q.credits if q.credits is not None else 'not stated'}; GLH: {q.glh}; TQT: {q.tqt}",
             f"Registration validity: {validity}"]
    lines += _bullets("Rules of combination", list(q.rules_of_combination.get("text") or ()))
    lines += _bullets("Units", [f"{c} {kb.units[c].title}" for c in q.units if c in kb.units])
    return "\n".join(lines)
