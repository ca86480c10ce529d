"""Facets: which fact a question asks for, and what each can be asked of.

A facet is what the intent model reads ("credits", "evidence", "registration" …); the entity it is
asked of (a criterion, a unit or a qualification) is resolved from the references. Some facets belong
to one level only (a learning outcome list is a unit's, a registration period a qualification's);
others are asked of either (the credits of 501 / of the level 5).
"""

from __future__ import annotations

import re

from knowledge.model import Qualification, Unit

CRITERION_FACETS = frozenset({"evidence", "sufficiency", "wording", "depth"})
UNIT_FACETS = frozenset({"timing", "outcomes", "criteria", "qualifications"})
EITHER_FACETS = frozenset({"credits", "glh", "level", "number", "assessment", "word_count", "optional", "aim",
                           "standards", "tqt", "grading", "ksbs", "overview", "marks"})
QUALIFICATION_FACETS = frozenset({"registration", "age", "entry", "induction", "tutorial", "structure", "rules"})
KNOWLEDGE_FACETS = CRITERION_FACETS | UNIT_FACETS | EITHER_FACETS | QUALIFICATION_FACETS
# Facts each unit prints on its own: asked of a qualification, its statements may all decline while a unit
# answers (bot.dialogue); asked of two units named apart, each answers (bot.together).
UNIT_FACTS = frozenset({"word_count", "timing", "credits", "glh", "tqt", "level", "number", "marks", "ksbs",
                        "outcomes", "criteria", "optional", "standards"})
# Labels of the intent model that are not facets.
FOLLOW_UP = "bare"          # "and 2.3?": names something, asks nothing new
NOT_COVERED = "none"        # outside what the specifications cover

# How a facet reads in a sentence ("The specification doesn't give {name} for …").
NAMES = {
    "credits": "a credit value", "glh": "guided learning hours", "tqt": "a total qualification time",
    "level": "a level", "number": "a reference number", "assessment": "an assessment method",
    "word_count": "a word count", "timing": "a presentation or discussion length", "marks": "marks",
    "optional": "whether it is optional", "aim": "an aim", "standards": "links to occupational standards",
    "grading": "grading", "ksbs": "KSBs", "depth": "depth or indicative content", "outcomes": "learning outcomes",
    "registration": "how long registration lasts", "age": "a minimum age", "entry": "entry requirements",
    "induction": "induction", "tutorial": "tutorial support", "structure": "a structure",
}


def unit_has(unit: Unit, facet: str) -> bool:
    """Whether the KB holds ``facet`` for ``unit`` (False means the specification doesn't print it)."""
    if facet == "credits":
        return unit.credits is not None
    if facet == "glh":
        return unit.glh is not None
    if facet == "number":
        return bool(reference_numbers(unit))
    if facet == "ksbs":
        return any(c.ksbs for c in unit.criteria)
    if facet == "standards":
        return bool(unit.standards)
    if facet == "word_count":
        return any(any((a.word_count or {}).values()) for a in unit.assessment)
    if facet == "timing":
        return any(a.timing_minutes for a in unit.assessment)
    if facet == "marks":
        return any(a.marks_available for a in unit.assessment)
    if facet == "depth":
        return any(c.depth for c in unit.criteria)
    if facet == "assessment":
        return bool(unit.assessment or unit.assessment_notes)
    if facet == "aim":
        return bool(unit.aim)
    return facet != "tqt"          # no specification prints a unit's TQT


def reference_numbers(unit: Unit, kind: str | None = None) -> list[tuple[str, str]]:
    """The unit's printed reference numbers that identify it: UAN, ILM unit code (not its sector notes); only
    those of ``kind`` ("UAN", "ILM unit code") when given."""
    out = []
    for ref in unit.reference_numbers:
        label, value = ref.get("label") or "", ref.get("value") or ""
        identifies = label.upper() in ("UAN", "ILM UNIT CODE") or "reference" in label.lower()
        if identifies and (kind is None or label.upper() == kind.upper()):
            out.append((label, value))
    return out


# The kind of reference number a question names: a unit prints a UAN (the regulator's unit number) or an ILM
# unit code, seldom both, and one asked for by name is not answered by the other.
_NUMBER_KINDS = (
    ("UAN", re.compile(r"\bUANs?\b|\bunit accreditation number|\bofqual (?:unit )?(?:number|ref)", re.IGNORECASE)),
    ("ILM unit code", re.compile(r"\bILM (?:unit )?(?:code|number|ref)|\bM\d\.\d\d\b", re.IGNORECASE)),
)


def number_kind_asked(text: str) -> str | None:
    """The kind of reference number ``text`` names ("what's the UAN of …" → "UAN"), or None."""
    return next((kind for kind, pattern in _NUMBER_KINDS if pattern.search(text)), None)


def qualification_has(q: Qualification, facet: str) -> bool:
    """Whether the qualification's own fields hold ``facet`` (rules may still speak to it)."""
    return {"credits": q.credits is not None, "glh": q.glh is not None, "tqt": q.tqt is not None,
            "number": bool(q.numbers), "registration": q.registration_validity_months is not None,
            "age": q.minimum_age is not None, "induction": q.induction_hours is not None,
            "tutorial": q.tutorial_hours is not None, "entry": q.entry_requirements is not None}.get(facet, True)
